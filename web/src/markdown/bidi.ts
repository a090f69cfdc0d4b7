// Bidirectional embedding, override and isolate controls can make text read differently from what
// it is ("gnp.exe" shown as "exe.png"). Messages and topics are stored as typed; when shown, each such
// control is replaced by a visible marker naming it, so nothing is silently reordered.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export const hasBidiControls = (text: string) => /[\u202A-\u202E\u2066-\u2069]/.test(text);

function bidiMarker(char: string): string {
  return `⟦U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}⟧`;
}

/** The text with every bidi control shown as a visible marker, for plain-text places. */
export function revealBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, bidiMarker);
}

/** Splits text into plain runs and bidi controls, for renderers that style the markers. */
export function splitBidiControls(text: string): { text: string; control: boolean }[] {
  const parts: { text: string; control: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(BIDI_CONTROLS)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), control: false });
    parts.push({ text: bidiMarker(match[0]), control: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), control: false });
  return parts;
}
