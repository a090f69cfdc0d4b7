// UTS #39 confusable skeletons: two strings that look alike have the same skeleton. The mapping
// is Unicode's confusables.txt (13.0) as shipped by the `unhomoglyph` package; its own replace()
// skips the NFD steps the standard requires, so the algorithm is applied here:
// skeleton(X) = NFD(map each code point of NFD(X)).
import confusables from "unhomoglyph/data.json" with { type: "json" };

const PROTOTYPES = new Map<string, string>(Object.entries(confusables as Record<string, string>));

export function skeleton(text: string): string {
  let out = "";
  for (const char of text.normalize("NFD")) out += PROTOTYPES.get(char) ?? char;
  return out.normalize("NFD");
}
