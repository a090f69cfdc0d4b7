// A small markdown subset for chat messages, parsed into a tree of plain objects. Nothing here
// produces HTML: the tree is turned into DOM nodes by render.ts, so user text can only ever become
// text nodes, and the only attribute taken from user input is a link's href, checked by safeHref().

export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] }
  | { type: "br" };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "codeBlock"; text: string }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] };

/** Nesting deeper than this is left as text: a message cannot make the parser recurse without end. */
const MAX_DEPTH = 4;
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The href to use for a link target, or null when it is not an http(s) or mailto URL. */
export function safeHref(raw: string): string | null {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so the
  // check is made on what the browser would see, after parsing with the URL parser itself.
  const trimmed = raw.trim();
  if (!trimmed || /[\u0000-\u001f\u007f\s]/.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== "mailto:" && !url.hostname) return null;
  return url.href;
}

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}```/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ type: "paragraph", children: parseInline(paragraph.join("\n"), 0) });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line)) {
      const end = lines.findIndex((l, j) => j > i && FENCE.test(l));
      if (end !== -1) {
        flush();
        blocks.push({ type: "codeBlock", text: lines.slice(i + 1, end).join("\n") });
        i = end;
        continue;
      }
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    if (bullet || ordered) {
      flush();
      const isOrdered = ordered !== null;
      const pattern = isOrdered ? ORDERED : BULLET;
      const items: Inline[][] = [];
      let j = i;
      for (; j < lines.length; j++) {
        const match = pattern.exec(lines[j]!);
        if (!match) break;
        items.push(parseInline(isOrdered ? match[2]! : match[1]!, 0));
      }
      blocks.push({ type: "list", ordered: isOrdered, start: isOrdered ? Number(ordered![1]) : 1, items });
      i = j - 1;
      continue;
    }
    if (line.trim() === "") flush();
    else paragraph.push(line);
  }
  flush();
  return blocks;
}

const ESCAPABLE = /[\\`*_[\]()~>#+\-.!|]/;
const AUTOLINK = /^(?:https?:\/\/|mailto:)[^\s<>]*[^\s<>.,:;"')\]!?*_~]/i;
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

function parseInline(source: string, depth: number): Inline[] {
  const out: Inline[] = [];
  let text = "";
  const pushText = () => {
    if (text) out.push({ type: "text", text });
    text = "";
  };
  const push = (node: Inline) => {
    pushText();
    out.push(node);
  };

  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const rest = source.slice(i);

    if (ch === "\\" && i + 1 < source.length && ESCAPABLE.test(source[i + 1]!)) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (ch === "\n") {
      push({ type: "br" });
      i++;
      continue;
    }
    if (ch === "`") {
      const run = /^`+/.exec(rest)![0];
      const close = source.indexOf(run, i + run.length);
      if (close !== -1) {
        const code = source.slice(i + run.length, close);
        push({ type: "code", text: code.length > 2 && code.startsWith(" ") && code.endsWith(" ") ? code.slice(1, -1) : code });
        i = close + run.length;
        continue;
      }
      text += run;
      i += run.length;
      continue;
    }
    if ((ch === "*" || ch === "_") && depth < MAX_DEPTH) {
      const emphasis = parseEmphasis(source, i, depth);
      if (emphasis) {
        push(emphasis.node);
        i = emphasis.end;
        continue;
      }
    }
    if (ch === "[" && depth < MAX_DEPTH) {
      const link = parseLink(source, i, depth);
      if (link) {
        if (link.node) push(link.node);
        else for (const child of link.label) child.type === "text" ? (text += child.text) : push(child);
        i = link.end;
        continue;
      }
    }
    if ((ch === "h" || ch === "H" || ch === "m" || ch === "M") && !isWordChar(source[i - 1])) {
      const match = AUTOLINK.exec(rest);
      const href = match ? safeHref(match[0]) : null;
      if (match && href) {
        push({ type: "link", href, children: [{ type: "text", text: match[0] }] });
        i += match[0].length;
        continue;
      }
    }
    text += ch;
    i++;
  }
  pushText();
  return out;
}

function parseEmphasis(source: string, start: number, depth: number): { node: Inline; end: number } | null {
  const ch = source[start]!;
  const double = source[start + 1] === ch;
  const marker = double ? ch + ch : ch;
  const open = start + marker.length;
  // Underscores inside words (snake_case) are not emphasis.
  if (ch === "_" && isWordChar(source[start - 1])) return null;
  if (open >= source.length || /\s/.test(source[open]!)) return null;
  let search = open;
  while (search < source.length) {
    let close = source.indexOf(marker, search);
    if (close === -1) return null;
    // In a longer run ("***" closing "**bold *italic***"), the outer marker is the run's last two.
    if (double) while (source[close + 2] === ch) close++;
    const next = source[close + marker.length];
    const okClose =
      close > open &&
      !/\s/.test(source[close - 1]!) &&
      // a single * must not be the first half of a ** run
      (double || next !== ch) &&
      !(ch === "_" && isWordChar(next));
    if (okClose) {
      const children = parseInline(source.slice(open, close), depth + 1);
      return { node: double ? { type: "strong", children } : { type: "em", children }, end: close + marker.length };
    }
    search = close + 1;
  }
  return null;
}

function parseLink(
  source: string,
  start: number,
  depth: number,
): { node: Inline | null; label: Inline[]; end: number } | null {
  const labelEnd = source.indexOf("](", start + 1);
  if (labelEnd === -1) return null;
  const rawLabel = source.slice(start + 1, labelEnd);
  if (!rawLabel || rawLabel.includes("\n") || rawLabel.includes("[")) return null;
  const hrefEnd = source.indexOf(")", labelEnd + 2);
  if (hrefEnd === -1) return null;
  const rawHref = source.slice(labelEnd + 2, hrefEnd);
  if (/\s/.test(rawHref)) return null;
  const label = parseInline(rawLabel, depth + 1);
  const href = safeHref(rawHref);
  // An unsafe target (javascript:, data:, vbscript:, relative paths) keeps only the label, as text.
  return { node: href ? { type: "link", href, children: label } : null, label, end: hrefEnd + 1 };
}

/** The plain text of a message, for notifications, previews and the tab title. */
export function plainText(blocks: Block[]): string {
  const inline = (nodes: Inline[]): string =>
    nodes.map((n) => (n.type === "br" ? " " : n.type === "text" || n.type === "code" ? n.text : inline(n.children))).join("");
  return blocks
    .map((b) => (b.type === "codeBlock" ? b.text : b.type === "list" ? b.items.map(inline).join(" ") : inline(b.children)))
    .join(" ");
}
