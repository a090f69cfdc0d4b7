// Which index answers each term of a parsed query, decided once for both engines:
// - 3 characters or more (folded): the trigram index, as a substring anywhere ("ERR_42", "a.b.c",
//   "ete" inside "compléter");
// - shorter, or quoted: the word index, as whole words in order ("ok", "the cat");
// - a term with nothing an index can find (a lone "?" or "-") is left out.
// The terms stay text: each engine's statement folds, tokenizes and quotes them itself
// (search-queries.ts), so what reaches an index is never syntax a person typed.
import type { ParsedQuery } from "./query-parser.ts";
import { foldedLength, words } from "./fold.ts";

export interface TextPlan {
  /** Substrings that must all occur, longest first (the most selective drives Postgres's index). */
  substrings: string[];
  /** Substrings none of which may occur. */
  notSubstrings: string[];
  /** Word sequences (each one word or more) that must all occur. */
  phrases: string[];
  notPhrases: string[];
}

/** What the highlighter looks for in a result (folded). */
export interface HighlightPlan {
  substrings: string[];
  phrases: string[][];
}

const TRIGRAM = 3;

export function planText(query: ParsedQuery): { text: TextPlan; highlight: HighlightPlan } {
  const text: TextPlan = { substrings: [], notSubstrings: [], phrases: [], notPhrases: [] };
  const highlight: HighlightPlan = { substrings: [], phrases: [] };
  for (const term of query.terms) {
    const tokens = words(term.text);
    if (!term.phrase && foldedLength(term.text) >= TRIGRAM) {
      (term.negated ? text.notSubstrings : text.substrings).push(term.text);
      if (!term.negated) highlight.substrings.push(term.text);
    } else if (tokens.length > 0) {
      (term.negated ? text.notPhrases : text.phrases).push(term.text);
      if (!term.negated) highlight.phrases.push(tokens);
    } else if (term.phrase && foldedLength(term.text) >= TRIGRAM) {
      // A quoted run of punctuation ("?!?") has no words: it can still be found as it is.
      (term.negated ? text.notSubstrings : text.substrings).push(term.text);
      if (!term.negated) highlight.substrings.push(term.text);
    }
  }
  text.substrings.sort((a, b) => foldedLength(b) - foldedLength(a));
  // Duplicates cost index work and change nothing.
  const unique = (list: string[]) => [...new Set(list)];
  return {
    text: {
      substrings: unique(text.substrings),
      notSubstrings: unique(text.notSubstrings),
      phrases: unique(text.phrases),
      notPhrases: unique(text.notPhrases),
    },
    highlight,
  };
}

export const hasPositiveText = (plan: TextPlan) => plan.substrings.length > 0 || plan.phrases.length > 0;
