// The text part of a query, checked in TypeScript on messages the indexes do not hold yet (posted a
// moment ago: search/indexer.ts), with the same meaning the indexes give it: substrings of the
// folded text, whole words in order, none of the excluded ones.
import { fold, words } from "./fold.ts";
import type { TextPlan } from "./search-plan.ts";

function hasSequence(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return false;
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((word, j) => haystack[i + j] === word)) return true;
  }
  return false;
}

export interface TextMatcher {
  (doc: string): boolean;
}

export function textMatcher(plan: TextPlan): TextMatcher {
  const substrings = plan.substrings.map(fold);
  const notSubstrings = plan.notSubstrings.map(fold);
  const phrases = plan.phrases.map(words);
  const notPhrases = plan.notPhrases.map(words);
  const needsWords = phrases.length + notPhrases.length > 0;
  return (doc) => {
    const folded = fold(doc);
    if (!substrings.every((s) => folded.includes(s)) || notSubstrings.some((s) => folded.includes(s))) return false;
    if (!needsWords) return true;
    const docWords = words(doc);
    return phrases.every((p) => hasSequence(docWords, p)) && !notPhrases.some((p) => hasSequence(docWords, p));
  };
}
