// A person's initials, for their avatar at every size (issue 19): the sidebar showed "B" and the
// messages "BM" for the same Bob Martin, as if two people. Two letters from the first two words of
// the shown name ("Bob Martin" → BM, "jean-luc" → JL), else its first two characters ("bob" → BO);
// whole characters, so an emoji or an accented capital is never cut in half.
import { displayNameOf, type Named } from "./names.ts";

export function initialsOf(user: Named): string {
  const name = displayNameOf(user).trim();
  const parts = name.split(/[\s._-]+/u).filter(Boolean);
  const letters = parts.length > 1 ? [...parts[0]!][0]! + [...parts[1]!][0]! : [...name].slice(0, 2).join("");
  return letters || "?";
}
