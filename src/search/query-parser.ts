// The search query language, parsed on the server. Nothing a person types ever reaches an index's own
// query syntax: FTS5's `"`, `*`, `NEAR`, `AND`, `^` or Postgres's `&`, `|`, `!` are plain text here,
// and each term travels to the database as a bound value (search-queries.ts quotes it for FTS5).
//
//   words            every one must match (3 characters or more: anywhere, inside words too;
//                    shorter: as a whole word)
//   "exact phrase"   these words in this order (also “typographic” and « French » quotes: phones
//                    and French keyboards type those, and the French help shows them)
//   -word  -"a b"    excluded
//   from:alice  from:@alice  from:"Alice Martin"   written by: a username, else a display name
//                                                  (several: any of them)
//   in:general  in:#general  in:"my room"   in this room (several: any of them)
//   has:file  has:link             with a file, with a link
//   is:pinned                      pinned
//   before:2026-11-01  after:2026-11  during:2026   by the reader's calendar (tz)
//
// A quote without its closing quote is plain text, and so is `name:value` when `name` is not one of
// the operators above (`TODO:fix`, `http://x`). A known operator with a bad value is an error that
// says what is wrong, never an empty page. parse() throws only AppErrors (a fast-check property
// checks it for any string).
import { AppError } from "../errors.ts";
import { MAX_ROOM_NAME_LENGTH, MAX_SEARCH_QUERY_LENGTH, MAX_SEARCH_TERMS } from "../protocol.ts";

export interface SearchTerm {
  /** As typed (NFC), without its quotes or minus. */
  text: string;
  /** Was quoted: the words in order, as whole words. */
  phrase: boolean;
  negated: boolean;
}

/** A day, month or year of the reader's calendar; month and day are 1-based. */
export interface CalendarSpan {
  year: number;
  month: number | null;
  day: number | null;
}

export type SearchFilter =
  | { kind: "from"; username: string }
  | { kind: "in"; room: string }
  | { kind: "has"; value: "file" | "link" }
  | { kind: "is"; value: "pinned" }
  | { kind: "before" | "after" | "during"; date: CalendarSpan };

export interface ParsedQuery {
  terms: SearchTerm[];
  filters: SearchFilter[];
}

const OPERATORS = new Set(["from", "in", "has", "is", "before", "after", "during"]);
const MAX_USERNAME_VALUE = 64;

export const searchErrors = {
  tooLong: () => new AppError(400, "search_query_too_long", `A search is at most ${MAX_SEARCH_QUERY_LENGTH} characters.`),
  tooManyTerms: () => new AppError(400, "search_too_many_terms", `A search has at most ${MAX_SEARCH_TERMS} words and filters.`),
  empty: () => new AppError(400, "search_empty_query", "Type a word to look for, or a filter such as from:name or in:room."),
  invalidFilter: (message: string) => new AppError(400, "search_invalid_filter", message),
  tooBroad: () =>
    new AppError(422, "search_too_broad", "This search matches too much to finish in time. Add a word, a person (from:) or a room (in:)."),
};

const isSpace = (char: string) => /\s/u.test(char);

/** Each opening quote and the one that closes it. */
const QUOTES: Record<string, string> = { '"': '"', "“": "”", "«": "»" };
const opensQuote = (char: string | undefined) => char !== undefined && char in QUOTES;

/** Reads a quoted run starting at `at` (an opening quote): its content and where it ends, or null if never closed. */
function quoted(text: string, at: number): { value: string; end: number } | null {
  const close = text.indexOf(QUOTES[text[at]!]!, at + 1);
  // trim(): French puts a no-break space inside « ».
  return close < 0 ? null : { value: text.slice(at + 1, close).trim(), end: close + 1 };
}

/** Up to the next white space. */
function bare(text: string, at: number): { value: string; end: number } {
  let end = at;
  while (end < text.length && !isSpace(text[end]!)) end++;
  return { value: text.slice(at, end), end };
}

function calendarSpan(operator: string, value: string): CalendarSpan {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  const invalid = () =>
    searchErrors.invalidFilter(`${operator}: takes a date as YYYY-MM-DD, YYYY-MM or YYYY (for example ${operator}:2026-11-01), not "${value.slice(0, 40)}".`);
  if (!match) throw invalid();
  const year = Number(match[1]);
  const month = match[2] === undefined ? null : Number(match[2]);
  const day = match[3] === undefined ? null : Number(match[3]);
  if (year < 1970 || year > 9999) throw invalid();
  if (month !== null && (month < 1 || month > 12)) throw invalid();
  if (day !== null) {
    const days = new Date(Date.UTC(year, month!, 0)).getUTCDate();
    if (day < 1 || day > days) throw invalid();
  }
  return { year, month, day };
}

function filter(name: string, value: string): SearchFilter {
  if (value === "") throw searchErrors.invalidFilter(`${name}: needs a value right after the colon, for example ${example(name)}.`);
  switch (name) {
    case "from": {
      const username = value.replace(/^@/, "");
      // Counted in characters: a display name may be 64 of them, emoji included.
      if (username === "" || [...username].length > MAX_USERNAME_VALUE) throw searchErrors.invalidFilter('from: takes a username or a name, for example from:alice or from:"Alice Martin".');
      return { kind: "from", username };
    }
    case "in": {
      const room = value.replace(/^#/, "").trim();
      if (room === "" || room.length > MAX_ROOM_NAME_LENGTH * 2) throw searchErrors.invalidFilter('in: takes a room name, for example in:general or in:"my room".');
      return { kind: "in", room };
    }
    case "has": {
      const what = value.toLowerCase();
      if (what !== "file" && what !== "link") throw searchErrors.invalidFilter(`has: takes file or link, not "${value.slice(0, 40)}".`);
      return { kind: "has", value: what };
    }
    case "is": {
      if (value.toLowerCase() !== "pinned") throw searchErrors.invalidFilter(`is: takes pinned, not "${value.slice(0, 40)}".`);
      return { kind: "is", value: "pinned" };
    }
    default:
      return { kind: name as "before" | "after" | "during", date: calendarSpan(name, value) };
  }
}

function example(name: string): string {
  return { from: "from:alice", in: "in:general", has: "has:file", is: "is:pinned" }[name] ?? `${name}:2026-11-01`;
}

export function parseQuery(raw: string): ParsedQuery {
  if (raw.length > MAX_SEARCH_QUERY_LENGTH) throw searchErrors.tooLong();
  // A lone surrogate has no UTF-8 form, so no stored text can contain it: it is dropped. Control
  // characters are separators: FTS5 reads a query as a C string, so a NUL would cut a term short
  // (and leave its quote open).
  const text = raw.toWellFormed().replace(/[\uFFFD\p{Cc}]/gu, " ").normalize("NFC");
  const terms: SearchTerm[] = [];
  const filters: SearchFilter[] = [];
  let at = 0;
  while (at < text.length) {
    if (isSpace(text[at]!)) {
      at++;
      continue;
    }
    const start = at;
    const negated = text[at] === "-" && at + 1 < text.length && !isSpace(text[at + 1]!);
    if (negated) at++;
    if (opensQuote(text[at])) {
      const phrase = quoted(text, at);
      if (phrase) {
        if (phrase.value.trim() !== "") terms.push({ text: phrase.value.trim(), phrase: true, negated });
        at = phrase.end;
        continue;
      }
    }
    const operator = /^([A-Za-z]+):/.exec(text.slice(at, at + 12));
    const name = operator?.[1]!.toLowerCase();
    if (operator && name && OPERATORS.has(name)) {
      if (negated) throw searchErrors.invalidFilter(`Filters cannot be excluded: remove the minus before ${name}:.`);
      const valueAt = at + operator[0].length;
      const value = opensQuote(text[valueAt]) ? (quoted(text, valueAt) ?? bare(text, valueAt)) : bare(text, valueAt);
      filters.push(filter(name, value.value));
      at = value.end;
      continue;
    }
    // A word (or an unclosed quote, which is plain text), minus sign included unless it negates.
    const word = bare(text, negated ? at : start);
    terms.push({ text: word.value, phrase: false, negated });
    at = word.end;
  }
  if (terms.length + filters.length > MAX_SEARCH_TERMS) throw searchErrors.tooManyTerms();
  return { terms, filters };
}
