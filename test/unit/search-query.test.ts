// The search query language (src/search/query-parser.ts) and the plan that sends each term to an
// index (search-plan.ts): every operator, quoting, FTS5 syntax as plain text, and a property that any
// string either parses or is refused with a search error, and never reaches FTS5 as syntax.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { AppError } from "../../src/errors.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { SqliteConn } from "../../src/db/sqlite/connection.ts";
import { parseQuery, type ParsedQuery } from "../../src/search/query-parser.ts";
import { planText } from "../../src/search/search-plan.ts";
import { searchSql, type SearchParams } from "../../src/search/search-queries.ts";
import { MAX_ROOM_NAME_LENGTH, MAX_SEARCH_QUERY_LENGTH } from "../../src/protocol.ts";

const refusal = (q: string): { status: number; code: string } => {
  try {
    parseQuery(q);
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error(`"${q}" was accepted`);
};

describe("words and phrases", () => {
  test("words are separated by any white space; every one is a term", () => {
    expect(parseQuery("  deploy\tserver\nnow ")).toEqual({
      terms: [
        { text: "deploy", phrase: false, negated: false },
        { text: "server", phrase: false, negated: false },
        { text: "now", phrase: false, negated: false },
      ],
      filters: [],
    });
  });

  test('"an exact phrase" is one term, and -word / -"a phrase" exclude', () => {
    expect(parseQuery('"quarterly report" -draft -"old numbers" final').terms).toEqual([
      { text: "quarterly report", phrase: true, negated: false },
      { text: "draft", phrase: false, negated: true },
      { text: "old numbers", phrase: true, negated: true },
      { text: "final", phrase: false, negated: false },
    ]);
  });

  test("typographic and French quotes make a phrase too, and quote a filter's value (issue 19)", () => {
    expect(parseQuery("\u201cquarterly report\u201d").terms).toEqual([{ text: "quarterly report", phrase: true, negated: false }]);
    expect(parseQuery("-\u00ab\u00a0old numbers\u00a0\u00bb").terms).toEqual([{ text: "old numbers", phrase: true, negated: true }]);
    expect(parseQuery('from:"Alice Martin" in:\u00ab\u00a0my room\u00a0\u00bb').filters).toEqual([
      { kind: "from", username: "Alice Martin" },
      { kind: "in", room: "my room" },
    ]);
    // A closing quote alone, or one of another kind, is plain text as before.
    expect(parseQuery("\u00bbhi\u00ab \u201cno").terms.map((term) => term.phrase)).toEqual([false, false]);
  });

  test("an unbalanced quote, a lone minus and FTS5 or tsquery syntax are plain text", () => {
    expect(parseQuery('say "hello').terms.map((t) => t.text)).toEqual(["say", '"hello']);
    expect(parseQuery("a - b").terms.map((t) => [t.text, t.negated])).toEqual([
      ["a", false],
      ["-", false],
      ["b", false],
    ]);
    const syntax = parseQuery('NEAR(a b) x AND y OR z* ^start col:term a&b !c (d|e) \'f\' "" ');
    expect(syntax.filters).toEqual([]);
    expect(syntax.terms.map((t) => t.text)).toEqual(["NEAR(a", "b)", "x", "AND", "y", "OR", "z*", "^start", "col:term", "a&b", "!c", "(d|e)", "'f'"]);
  });

  test("text is normalized to NFC, and a lone surrogate is dropped", () => {
    expect(parseQuery("e\u0301te\u0301").terms[0]!.text).toBe("été");
    expect(parseQuery("ab\ud800cd").terms.map((t) => t.text)).toEqual(["ab", "cd"]);
  });
});

describe("operators", () => {
  test("from: in: has: is: with their usual spellings", () => {
    expect(parseQuery('from:alice from:@Bob in:general in:#dev in:"team room" has:file has:LINK is:pinned').filters).toEqual([
      { kind: "from", username: "alice" },
      { kind: "from", username: "Bob" },
      { kind: "in", room: "general" },
      { kind: "in", room: "dev" },
      { kind: "in", room: "team room" },
      { kind: "has", value: "file" },
      { kind: "has", value: "link" },
      { kind: "is", value: "pinned" },
    ]);
    expect(parseQuery("FROM:alice").filters).toEqual([{ kind: "from", username: "alice" }]);
  });

  test("before: after: during: take a day, a month or a year", () => {
    expect(parseQuery("before:2026-11-01 after:2026-02 during:2025").filters).toEqual([
      { kind: "before", date: { year: 2026, month: 11, day: 1 } },
      { kind: "after", date: { year: 2026, month: 2, day: null } },
      { kind: "during", date: { year: 2025, month: null, day: null } },
    ]);
    expect(parseQuery("during:2024-02-29").filters).toHaveLength(1);
    // The edges of what is accepted: the first year of the epoch, December, the last day of a month.
    expect(parseQuery("after:1970 before:2026-12 during:2026-01-31").filters).toEqual([
      { kind: "after", date: { year: 1970, month: null, day: null } },
      { kind: "before", date: { year: 2026, month: 12, day: null } },
      { kind: "during", date: { year: 2026, month: 1, day: 31 } },
    ]);
  });

  test("each refusal says what the operator takes", () => {
    const message = (q: string) => {
      try {
        parseQuery(q);
      } catch (error) {
        if (error instanceof AppError) return error.message;
      }
      return `"${q}" was accepted`;
    };
    expect(message("from:")).toBe("from: needs a value right after the colon, for example from:alice.");
    expect(message("from:@")).toBe('from: takes a username or a name, for example from:alice or from:"Alice Martin".');
    expect(message("in:#")).toBe('in: takes a room name, for example in:general or in:"my room".');
    expect(message("before:1969-12-31")).toBe('before: takes a date as YYYY-MM-DD, YYYY-MM or YYYY (for example before:2026-11-01), not "1969-12-31".');
    expect(message("after:2026-00")).toContain("after: takes a date as YYYY-MM-DD");
  });

  test("a from: or in: value longer than any username or room name is refused", () => {
    expect(parseQuery(`from:${"a".repeat(64)}`).filters).toEqual([{ kind: "from", username: "a".repeat(64) }]);
    expect(refusal(`from:${"a".repeat(65)}`)).toEqual({ status: 400, code: "search_invalid_filter" });
    expect(parseQuery(`in:${"r".repeat(MAX_ROOM_NAME_LENGTH * 2)}`).filters).toEqual([{ kind: "in", room: "r".repeat(MAX_ROOM_NAME_LENGTH * 2) }]);
    expect(refusal(`in:${"r".repeat(MAX_ROOM_NAME_LENGTH * 2 + 1)}`)).toEqual({ status: 400, code: "search_invalid_filter" });
  });

  test("a known operator with a bad or missing value is a clear error, never an empty page", () => {
    for (const q of ["has:pdf", "is:starred", "before:yesterday", "after:2026-13", "during:2025-02-29", "before:26-11-01", "from:", "in:", 'in:""', "-from:alice", "-has:file"]) {
      expect({ q, ...refusal(q) }).toEqual({ q, status: 400, code: "search_invalid_filter" });
    }
  });

  test("name:value with a name that is not an operator is plain text (TODO:fix, http://x)", () => {
    const parsed = parseQuery("TODO:fix https://example.org ratio:3:4");
    expect(parsed.filters).toEqual([]);
    expect(parsed.terms.map((t) => t.text)).toEqual(["TODO:fix", "https://example.org", "ratio:3:4"]);
  });
});

describe("limits", () => {
  test(`at most ${MAX_SEARCH_QUERY_LENGTH} characters and 20 terms and filters`, () => {
    expect(refusal("a".repeat(MAX_SEARCH_QUERY_LENGTH + 1))).toEqual({ status: 400, code: "search_query_too_long" });
    expect(parseQuery("a".repeat(MAX_SEARCH_QUERY_LENGTH)).terms).toHaveLength(1);
    expect(parseQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ")).terms).toHaveLength(20);
    expect(refusal(Array.from({ length: 19 }, (_, i) => `w${i}`).join(" ") + " from:a has:file")).toEqual({ status: 400, code: "search_too_many_terms" });
  });
});

describe("which index answers each term", () => {
  const plan = (q: string) => planText(parseQuery(q)).text;

  test("3 characters or more: a substring (trigram index), longest first; shorter or quoted: whole words", () => {
    expect(plan('ok ERR_42 a.b.c deployment "quarterly report" -tmp -no')).toEqual({
      substrings: ["deployment", "ERR_42", "a.b.c"],
      notSubstrings: ["tmp"],
      phrases: ["ok", "quarterly report"],
      notPhrases: ["no"],
    });
  });

  test("folded length counts: 'été' is 3 characters, 'ça' is 2", () => {
    expect(plan("été ça")).toEqual({ substrings: ["été"], notSubstrings: [], phrases: ["ça"], notPhrases: [] });
  });

  test("terms no index can find are left out, and a quoted run of punctuation is a substring", () => {
    expect(plan('? -! "?!?"')).toEqual({ substrings: ["?!?"], notSubstrings: [], phrases: [], notPhrases: [] });
  });
});

describe("any string", () => {
  // A real schema (every migration) with one message, so the statements run for real against FTS5.
  const db = openDatabase(":memory:");
  db.exec(`INSERT INTO users (id, username, username_key, skeleton, password_hash, created_at) VALUES (1, 'a', 'a', 'a', 'x', 0);
           INSERT INTO rooms (id, kind, name, created_at) VALUES (1, 'public', 'r', 0);
           INSERT INTO room_members (room_id, user_id, joined_at) VALUES (1, 1, 0);
           INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (1, 1, 'c', 'NEAR "x" AND y* été ERR_42', 0);
           UPDATE search_state SET indexed_upto = 0;`);
  db.exec(`INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source;
           INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source;
           UPDATE search_state SET indexed_upto = 1;`);
  const conn = new SqliteConn(db);
  const run = (parsed: ParsedQuery) => {
    const { text } = planText(parsed);
    const params: SearchParams = [1, [1], [1], null, null, 0, 0, text.substrings, text.notSubstrings, text.phrases, text.notPhrases, 10, 0, 10, [1]];
    // Every shape, whichever the query would pick: none may ever see FTS5 syntax errors.
    const shapes = [searchSql.bySubstring, searchSql.byWords, searchSql.byMeta, searchSql.byDate, searchSql.tail];
    for (const shape of shapes) {
      const applicable = shape !== searchSql.bySubstring || text.substrings.length > 0;
      if (applicable && (shape !== searchSql.byWords || text.phrases.length > 0)) conn.allSync(shape, ...params);
    }
  };
  const pieces = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('"', "*", "NEAR(", ")", "AND", "OR", "NOT", "^", ":", "-", "'", "\\", "%", "_", "&", "|", "!", "<->", "{", "}", "from:", "in:", "has:", "before:", " ", "\u0000", "\ud83d\ude00", "é"),
  );

  test("parses, or is refused with a search_* AppError; and its terms never break an FTS5 statement", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.array(pieces, { maxLength: 40 }).map((p) => p.join(""))), (q) => {
        let parsed: ParsedQuery;
        try {
          parsed = parseQuery(q);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toStartWith("search_");
          return;
        }
        run(parsed);
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  test("FTS5 syntax typed as terms is found as text", () => {
    const found = (q: string) => {
      const { text } = planText(parseQuery(q));
      const params: SearchParams = [1, [1], [], null, null, 0, 0, text.substrings, text.notSubstrings, text.phrases, text.notPhrases, 10, 0, 10, []];
      const shape = text.substrings.length > 0 ? searchSql.bySubstring : searchSql.byWords;
      return conn.allSync(shape, ...params).length;
    };
    expect(found('NEAR')).toBe(1);
    expect(found('"x" AND')).toBe(1);
    expect(found('y*')).toBe(1);
    expect(found('ete err_42')).toBe(1);
    expect(found('NEAR -AND')).toBe(0);
  });
});
