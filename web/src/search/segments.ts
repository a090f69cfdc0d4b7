// A text cut at the ranges a search matched, for marking them with DOM nodes (never HTML). The
// ranges come from the server; anything out of order, overlapping or outside the text is ignored.
import type { TextRange } from "../chat/protocol.ts";

export interface Segment {
  text: string;
  match: boolean;
}

export function segments(text: string, ranges: readonly TextRange[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < at || end <= start || end > text.length) continue;
    if (start > at) out.push({ text: text.slice(at, start), match: false });
    out.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}

/**
 * A long body is cut to a window around its first match (with "…" where text was left out), so a
 * result shows why it was found; the ranges are moved with it.
 */
export function excerpt(text: string, ranges: readonly TextRange[], max = 280): { text: string; ranges: TextRange[] } {
  if (text.length <= max) return { text, ranges: [...ranges] };
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, Math.min(first - 60, text.length - max));
  // Never split a surrogate pair.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start]!)) start--;
  let end = Math.min(text.length, start + max);
  if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
  const before = start > 0 ? "…" : "";
  const shift = before.length - start;
  return {
    text: before + text.slice(start, end) + (end < text.length ? "…" : ""),
    ranges: ranges.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s + shift, e + shift] as TextRange),
  };
}
