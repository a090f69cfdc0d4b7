// UTS #39 confusable skeletons: two strings that look alike have the same skeleton. The mapping
// is Unicode's confusables.txt (13.0) as shipped by the `unhomoglyph` package; its own replace()
// skips the NFD steps the standard requires, so the algorithm is applied here:
// skeleton(X) = NFD(map each code point of NFD(X)), then combining marks folded (below).
//
// The table (~6,300 entries) is embedded as text and read at the first skeleton asked for, not at
// every start (~11 ms, on the event loop and on the writer thread).
import confusablesText from "unhomoglyph/data.json" with { type: "text" };

let prototypes: Map<string, string> | null = null;
const PROTOTYPES = () => (prototypes ??= new Map(Object.entries(JSON.parse(confusablesText as unknown as string) as Record<string, string>)));

/** Bumped whenever skeleton() changes, so stored skeletons are recomputed (name-skeletons.ts). */
export const SKELETON_VERSION = 2;

const MARK = /\p{M}/u;
// Scripts whose letters a reader recognises without their accents: a dot above or an acute there is
// easy to miss ("admi\u0307n" passed for "admin", issue 21 §6). In other scripts (Devanagari, Thai,
// Arabic...) marks are vowels and tones that change the word visibly, so they are kept.
const FOLDS_MARKS = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}]/u;

export function skeleton(text: string): string {
  const table = PROTOTYPES();
  let mapped = "";
  for (const char of text.normalize("NFD")) mapped += table.get(char) ?? char;
  let out = "";
  let foldMarks = false;
  for (const char of mapped.normalize("NFD")) {
    if (MARK.test(char)) {
      if (!foldMarks) out += char;
      continue;
    }
    foldMarks = FOLDS_MARKS.test(char);
    out += char;
  }
  return out;
}
