// Text as the search indexes see it, for the parts of search done in TypeScript (which index a term
// goes to, where the matches are in a body): case and diacritics folded ("Été" -> "ete"), words cut
// where SQLite's unicode61 tokenizer cuts them (any character that is not a letter, a digit or a
// private-use character). The indexes fold on their own side (FTS5's tokenizers, Postgres's
// unaccent + lower); this only has to agree with them on real text, and where it does not (Postgres
// expands "ß" to "ss") a highlight is missed, never a result.

const MARK = /\p{M}/u;
const WORD_CHAR = /[\p{L}\p{N}\p{Co}\p{M}]/u;

/** One code point folded: decomposed, its combining marks dropped, lower-cased. */
function foldCodePoint(char: string): string {
  if (char.length === 1 && char < "\u0080") return char.toLowerCase();
  let out = "";
  for (const part of char.normalize("NFD")) if (!MARK.test(part)) out += part;
  return out.toLowerCase();
}

export function fold(text: string): string {
  let out = "";
  for (const char of text) out += foldCodePoint(char);
  return out;
}

/** Folded text with, for each of its UTF-16 units, the offset in the original it came from. */
export interface FoldedText {
  text: string;
  /** from[i] = offset in the original of folded unit i; from[text.length] = the original's length. */
  from: number[];
}

export function foldWithOffsets(original: string): FoldedText {
  let text = "";
  const from: number[] = [];
  let offset = 0;
  for (const char of original) {
    const folded = foldCodePoint(char);
    for (let i = 0; i < folded.length; i++) from.push(offset);
    text += folded;
    offset += char.length;
  }
  from.push(offset);
  return { text, from };
}

/** A word of a text: where it starts and ends in that text (UTF-16 offsets), and its folded form. */
export interface WordSpan {
  start: number;
  end: number;
  word: string;
}

export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  let start = -1;
  let offset = 0;
  for (const char of text) {
    if (WORD_CHAR.test(char)) {
      if (start < 0) start = offset;
    } else if (start >= 0) {
      spans.push({ start, end: offset, word: fold(text.slice(start, offset)) });
      start = -1;
    }
    offset += char.length;
  }
  if (start >= 0) spans.push({ start, end: offset, word: fold(text.slice(start)) });
  // A word of combining marks only folds to nothing: it is no word.
  return spans.filter((span) => span.word.length > 0);
}

/** Folded words of a text, in order. */
export const words = (text: string): string[] => wordSpans(text).map((span) => span.word);

/** Code points of the folded text: what a trigram index counts. */
export const foldedLength = (text: string): number => [...fold(text)].length;
