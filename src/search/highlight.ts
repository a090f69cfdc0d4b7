// Where a result matched, as ranges of the original text ([start, end) in UTF-16 units), never as
// markup: the client marks them with DOM nodes it builds itself. Substrings are found in the folded
// text and mapped back, so "ete" marks "été" in the body as written.
import type { TextRange } from "../protocol.ts";
import { fold, foldWithOffsets, wordSpans } from "./fold.ts";
import type { HighlightPlan } from "./search-plan.ts";

/** Enough to show every match of a real message; a pathological one stops here. */
const MAX_RANGES = 64;

function merge(ranges: TextRange[]): TextRange[] {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: TextRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged.slice(0, MAX_RANGES);
}

export function highlightRanges(original: string, plan: HighlightPlan): TextRange[] {
  if (original === "") return [];
  const ranges: TextRange[] = [];
  if (plan.substrings.length > 0) {
    const folded = foldWithOffsets(original);
    for (const term of plan.substrings) {
      const needle = fold(term);
      if (needle === "") continue;
      for (let at = folded.text.indexOf(needle); at >= 0 && ranges.length < MAX_RANGES * 4; at = folded.text.indexOf(needle, at + 1)) {
        ranges.push([folded.from[at]!, folded.from[at + needle.length]!]);
      }
    }
  }
  if (plan.phrases.length > 0) {
    const spans = wordSpans(original);
    for (const phrase of plan.phrases) {
      for (let i = 0; i + phrase.length <= spans.length && ranges.length < MAX_RANGES * 4; i++) {
        if (phrase.every((word, j) => spans[i + j]!.word === word)) ranges.push([spans[i]!.start, spans[i + phrase.length - 1]!.end]);
      }
    }
  }
  return merge(ranges);
}

/**
 * A score for sort=relevance, from the text alone (so it is the same on both engines and for every
 * page): each term counts its matches (a few at most), a whole-word match more than a part of a word.
 */
export function relevance(original: string, plan: HighlightPlan): number {
  const folded = fold(original);
  const spans = wordSpans(original);
  const wordSet = new Set(spans.map((span) => span.word));
  let score = 0;
  for (const term of plan.substrings) {
    const needle = fold(term);
    let count = 0;
    for (let at = folded.indexOf(needle); at >= 0 && count < 3; at = folded.indexOf(needle, at + 1)) count++;
    score += count * 10 + (wordSet.has(needle) ? 15 : 0);
  }
  for (const phrase of plan.phrases) {
    let count = 0;
    for (let i = 0; i + phrase.length <= spans.length && count < 3; i++) {
      if (phrase.every((word, j) => spans[i + j]!.word === word)) count++;
    }
    score += count * (10 + 5 * phrase.length) + 15;
  }
  // Shorter texts that match are more about the terms.
  return score * 100 + Math.max(0, 99 - Math.floor(Math.log2(1 + folded.length) * 8));
}
