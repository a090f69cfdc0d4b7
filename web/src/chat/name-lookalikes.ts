// Which people need their @username beside their name (issue 21, §6). The server refuses new
// display names that look like someone else's name, but older accounts may already share one, and a
// name can be unique on the server yet read like another: wherever two people this tab knows would
// read the same, or a name mixes Latin with Cyrillic or Greek letters, both show "@username".
// The server's check is the full Unicode confusables table; this one is a small, cheap subset.
import type { UserRef } from "./protocol.ts";

// Cyrillic and Greek letters that read as a Latin one once case is ignored.
const LOOKALIKES: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", з: "3", і: "l", ї: "l", ј: "j", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t",
  у: "y", х: "x", ѕ: "s", һ: "h", ԁ: "d", ԛ: "q", ԝ: "w", ӏ: "l", ь: "b",
  α: "a", β: "b", ε: "e", η: "h", ι: "l", κ: "k", μ: "m", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ζ: "z",
  "0": "o", "1": "l", "5": "s",
};

/** How a name reads: case, accents, spacing and punctuation aside; i and l alike; look-alike letters mapped. */
export function readsAs(name: string): string {
  const folded = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[\s._-]+/gu, "");
  let out = "";
  for (const char of folded) out += LOOKALIKES[char] ?? char;
  return out.replaceAll("i", "l").replaceAll("rn", "m").replaceAll("vv", "w");
}

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

function mixesScripts(name: string): boolean {
  return LATIN.test(name) && CYRILLIC_OR_GREEK.test(name);
}

/** The ids, among `people`, whose shown name (`shown(user)`) needs the @username beside it. */
export function needingHandles(people: readonly UserRef[], shown: (user: UserRef) => string): Set<number> {
  const readers = new Map<string, Set<number>>();
  const add = (key: string, id: number) => {
    let ids = readers.get(key);
    if (!ids) readers.set(key, (ids = new Set()));
    ids.add(id);
  };
  const live = people.filter((user) => !user.deleted);
  for (const user of live) {
    add(readsAs(shown(user)), user.id);
    add(readsAs(user.username), user.id);
  }
  const needing = new Set<number>();
  for (const user of live) {
    const name = shown(user);
    if ((readers.get(readsAs(name))?.size ?? 0) > 1 || mixesScripts(name)) needing.add(user.id);
  }
  return needing;
}
