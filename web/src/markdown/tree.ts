// The parsed form of a message (parse.ts makes it, render.ts turns it into DOM nodes): plain objects
// with nothing but text, structure and a checked href.
export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "strike"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] }
  | { type: "br" };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "codeBlock"; text: string }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] }
  /** `> quoted` lines: one blockquote of their text (its lines kept as line breaks). */
  | { type: "quote"; children: Inline[] };
