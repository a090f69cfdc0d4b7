// French elision (issue 19 §15): "de" before a word that starts with a vowel sound becomes "d’"
// ("Message d’Alice", "Message de Bob"). Only the catalogue's "de {placeholder}" is rewritten, and
// only once the value is known, so translators keep writing plain "de {name}".
import type { Params } from "./index.ts";

// A vowel, accented or not, or an h (names are read with a mute h: "d’Hélène", "d’Hugo");
// a y counts only before a consonant ("d’Yves" but "de Yann").
const VOWEL_SOUND = /^(?:[aeiouàâäéèêëîïôöùûüœæh]|y[^aeiouàâäéèêëîïôöùûü])/i;

export function startsWithVowelSound(word: string): boolean {
  return VOWEL_SOUND.test(word.normalize("NFC"));
}

/** The template with each "de {x}" turned into "d’{x}" where the value of x starts with a vowel sound. */
export function elide(template: string, params: Params): string {
  return template.replace(/\b([Dd])e \{(\w+)\}/g, (whole, d: string, name: string) =>
    name in params && startsWithVowelSound(String(params[name])) ? `${d}’{${name}}` : whole,
  );
}
