// Inline markdown (emphasis, code, links, bare URLs, line breaks) within one block. Every search is
// remembered for the rest of its source (see Scan), so no message, however hostile, takes more than
// linear time: nothing is rescanned from each opener, and nothing is copied per character.
import { safeHref } from "./safe-href.ts";
import type { Inline } from "./tree.ts";

/** Nesting deeper than this is left as text: a message cannot make the parser recurse without end. */
const MAX_DEPTH = 4;
const ESCAPABLE = /[\\`*_[\]()~>#+\-.!|]/;
// Sticky (y): matched at a position of the source, so nothing is copied per character.
const BACKTICKS = /`+/y;
const URL_SCHEME = /https?:\/\/|mailto:/iy;
const URL_END = /[\s<>]/g;
/**
 * A bare URL runs from its scheme to the next white space or < >, less trailing punctuation. Longer
 * than this it stays text: every "http" of "[http://[http://..." would URL-parse the rest otherwise.
 */
const MAX_AUTOLINK = 2048;
const TRAILING_PUNCTUATION = `.,:;"')]!?*_~`;
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * What one parseInline call has learnt about the rest of its source, so that no opener makes it scan
 * to the end again: a message of "*a *a *a ..." (or "[[[[...") would otherwise take quadratic time.
 * A search that found nothing from a position finds nothing from any later one either.
 */
interface Scan {
  source: string;
  /** Per emphasis marker: the first opening position known to have no closing marker after it. */
  unclosed: Map<string, number>;
  /** Per searched text: the last indexOf asked, and its answer. */
  found: Map<string, { from: number; at: number }>;
  /** For each position, the last white space before it (-1 for none); built when a link needs it. */
  spaceBefore: Int32Array | null;
  /** The last URL end asked for: where the search began, and the end found (the source's length if none). */
  urlEnd: { from: number; at: number };
}

/** source.indexOf(needle, from), remembered: forward searches over one source stay linear in total. */
function indexFrom(scan: Scan, needle: string, from: number): number {
  const last = scan.found.get(needle);
  if (last && from >= last.from && (last.at === -1 || from <= last.at)) return last.at;
  const at = scan.source.indexOf(needle, from);
  scan.found.set(needle, { from, at });
  return at;
}

/** Whether source[from, to) holds white space. */
function hasSpace(scan: Scan, from: number, to: number): boolean {
  if (!scan.spaceBefore) {
    const before = new Int32Array(scan.source.length + 1);
    let last = -1;
    for (let i = 0; i < scan.source.length; i++) {
      before[i] = last;
      if (/\s/.test(scan.source[i]!)) last = i;
    }
    before[scan.source.length] = last;
    scan.spaceBefore = before;
  }
  return scan.spaceBefore[to]! >= from;
}

export function parseInline(source: string, depth: number): Inline[] {
  const scan: Scan = { source, unclosed: new Map(), found: new Map(), spaceBefore: null, urlEnd: { from: -1, at: -1 } };
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
      BACKTICKS.lastIndex = i;
      const run = BACKTICKS.exec(source)![0];
      const close = indexFrom(scan, run, i + run.length);
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
      const emphasis = parseEmphasis(scan, i, depth);
      if (emphasis) {
        push(emphasis.node);
        i = emphasis.end;
        continue;
      }
    }
    if (ch === "~" && source[i + 1] === "~" && depth < MAX_DEPTH) {
      const strike = parseStrike(scan, i, depth);
      if (strike) {
        push(strike.node);
        i = strike.end;
        continue;
      }
    }
    if (ch === "[" && depth < MAX_DEPTH) {
      const link = parseLink(scan, i, depth);
      if (link) {
        if (link.node) push(link.node);
        else for (const child of link.label) child.type === "text" ? (text += child.text) : push(child);
        i = link.end;
        continue;
      }
    }
    if ((ch === "h" || ch === "H" || ch === "m" || ch === "M") && !isWordChar(source[i - 1])) {
      const url = autolinkAt(scan, i);
      const href = url ? safeHref(url) : null;
      if (url && href) {
        push({ type: "link", href, children: [{ type: "text", text: url }] });
        i += url.length;
        continue;
      }
    }
    text += ch;
    i++;
  }
  pushText();
  return out;
}

/** The bare URL starting at `start`, as typed, or null. */
function autolinkAt(scan: Scan, start: number): string | null {
  const { source } = scan;
  URL_SCHEME.lastIndex = start;
  const scheme = URL_SCHEME.exec(source);
  if (!scheme) return null;
  const from = start + scheme[0].length;
  // Candidates in one run share its end: found once, not once per "http" in it.
  if (!(from >= scan.urlEnd.from && from <= scan.urlEnd.at)) {
    URL_END.lastIndex = from;
    scan.urlEnd = { from, at: URL_END.exec(source)?.index ?? source.length };
  }
  let end = scan.urlEnd.at;
  if (end - start > MAX_AUTOLINK) return null;
  while (end > from && TRAILING_PUNCTUATION.includes(source[end - 1]!)) end--;
  return end > from ? source.slice(start, end) : null;
}

function parseEmphasis(scan: Scan, start: number, depth: number): { node: Inline; end: number } | null {
  const { source } = scan;
  const ch = source[start]!;
  const double = source[start + 1] === ch;
  const marker = double ? ch + ch : ch;
  const open = start + marker.length;
  // Underscores inside words (snake_case) are not emphasis.
  if (ch === "_" && isWordChar(source[start - 1])) return null;
  if (open >= source.length || /\s/.test(source[open]!)) return null;
  // Whether a marker closes depends only on what surrounds it, not on the opener: past the first
  // opener that found no closer, no later opener can find one.
  const unclosedFrom = scan.unclosed.get(marker);
  if (unclosedFrom !== undefined && open >= unclosedFrom) return null;
  let search = open;
  while (search < source.length) {
    let close = indexFrom(scan, marker, search);
    if (close === -1) break;
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
  scan.unclosed.set(marker, open);
  return null;
}

/**
 * `~~struck~~`: like emphasis, the text may not start or end with white space. A closer that cannot
 * close (white space before it) is skipped; past the first opener with no closer, none is looked for
 * again (the same linear-time rule as parseEmphasis).
 */
function parseStrike(scan: Scan, start: number, depth: number): { node: Inline; end: number } | null {
  const { source } = scan;
  const open = start + 2;
  if (open >= source.length || /\s/.test(source[open]!) || source[open] === "~") return null;
  const unclosedFrom = scan.unclosed.get("~~");
  if (unclosedFrom !== undefined && open >= unclosedFrom) return null;
  let search = open;
  while (search < source.length) {
    const close = indexFrom(scan, "~~", search);
    if (close === -1) break;
    if (close > open && !/\s/.test(source[close - 1]!)) {
      return { node: { type: "strike", children: parseInline(source.slice(open, close), depth + 1) }, end: close + 2 };
    }
    search = close + 1;
  }
  scan.unclosed.set("~~", open);
  return null;
}

/** `[label](href)`: the label is one line without "[" (it may hold "]"); the href has no white space. */
function parseLink(scan: Scan, start: number, depth: number): { node: Inline | null; label: Inline[]; end: number } | null {
  const { source } = scan;
  // Up to the first "](", unless a "[" or a line break comes first: each opener's scan ends where
  // the next opener's begins, so all of them together read the source once.
  let labelEnd = start + 1;
  while (labelEnd < source.length && source[labelEnd] !== "[" && source[labelEnd] !== "\n" && !(source[labelEnd] === "]" && source[labelEnd + 1] === "(")) labelEnd++;
  if (labelEnd === start + 1 || source[labelEnd] !== "]") return null;
  const hrefEnd = indexFrom(scan, ")", labelEnd + 2);
  if (hrefEnd === -1 || hasSpace(scan, labelEnd + 2, hrefEnd)) return null;
  const rawHref = source.slice(labelEnd + 2, hrefEnd);
  const label = parseInline(source.slice(start + 1, labelEnd), depth + 1);
  const href = safeHref(rawHref);
  // An unsafe target (javascript:, data:, vbscript:, relative paths) keeps only the label, as text.
  return { node: href ? { type: "link", href, children: label } : null, label, end: hrefEnd + 1 };
}
