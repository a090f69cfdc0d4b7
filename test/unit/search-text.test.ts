// Folding, highlights and the text matcher of search (src/search/fold.ts, highlight.ts,
// text-match.ts): accents in French and English, identifiers, file names, and a property that the
// matcher used for messages not indexed yet agrees with SQLite's FTS5 indexes.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { SqliteConn } from "../../src/db/sqlite/connection.ts";
import { fold, wordSpans } from "../../src/search/fold.ts";
import { highlightRanges, relevance } from "../../src/search/highlight.ts";
import { parseQuery } from "../../src/search/query-parser.ts";
import { planText } from "../../src/search/search-plan.ts";
import { searchSql, type SearchParams } from "../../src/search/search-queries.ts";
import { textMatcher } from "../../src/search/text-match.ts";

const marked = (body: string, q: string) => highlightRanges(body, planText(parseQuery(q)).highlight).map(([a, b]) => body.slice(a, b));

describe("folding", () => {
  test("French and English accents, case and ligature-free letters fold to their base", () => {
    expect(fold("L'Été À Noël, ÇA VA? Crème brûlée, naïve café, Zoë's résumé")).toBe("l'ete a noel, ca va? creme brulee, naive cafe, zoe's resume");
    expect(fold("e\u0301te\u0301")).toBe("ete");
  });

  test("words are cut at every character that is not a letter or digit, as FTS5's unicode61 cuts them", () => {
    expect(wordSpans("ERR_42 a.b.c l'été x²").map((w) => w.word)).toEqual(["err", "42", "a", "b", "c", "l", "ete", "x²"]);
  });
});

describe("highlights", () => {
  test("an unaccented term marks the accented text as written, at its offsets", () => {
    expect(marked("L'été est là, déjà", "ete deja")).toEqual(["été", "déjà"]);
    expect(marked("CAFÉ café Cafe", "café")).toEqual(["CAFÉ", "café", "Cafe"]);
  });

  test("identifiers and partial words are marked as the substrings they are", () => {
    expect(marked("got ERR_42 from a.b.c during redeployment", "err_42 a.b.c deploy")).toEqual(["ERR_42", "a.b.c", "deploy"]);
  });

  test("short terms and phrases mark whole words only", () => {
    expect(marked("ok, it's OK: token okra", "ok")).toEqual(["ok", "OK"]);
    expect(marked("the quarterly report; quarterly-report", '"quarterly report"')).toEqual(["quarterly report", "quarterly-report"]);
  });

  test("ranges count UTF-16 units (emoji before a match) and never overlap", () => {
    const body = "😀😀 naïve naïveté";
    const ranges = highlightRanges(body, planText(parseQuery("naive naivete")).highlight);
    expect(ranges).toEqual([
      [5, 10],
      [11, 18],
    ]);
  });

  test("excluded words are not marked, and relevance prefers whole words and more matches", () => {
    expect(marked("deploy now, not later", "deploy -later")).toEqual(["deploy"]);
    const plan = planText(parseQuery("deploy")).highlight;
    expect(relevance("we deploy and deploy again", plan)).toBeGreaterThan(relevance("redeployment", plan));
  });
});

describe("the matcher for messages not indexed yet", () => {
  test("file names are text like the body, on a line of their own", () => {
    const match = textMatcher(planText(parseQuery("rapport final.pdf")).text);
    expect(match("voici\nRapport-Final.PDF")).toBe(true);
    expect(match("voici le rapport")).toBe(false);
  });

  // Both indexes hold these documents; the matcher must say yes exactly where they do.
  const db = openDatabase(":memory:");
  db.exec(`INSERT INTO users (id, username, username_key, skeleton, password_hash, created_at) VALUES (1, 'a', 'a', 'a', 'x', 0);
           INSERT INTO rooms (id, kind, name, created_at) VALUES (1, 'public', 'r', 0);
           INSERT INTO room_members (room_id, user_id, joined_at) VALUES (1, 1, 0);`);
  const conn = new SqliteConn(db);
  const words = ["été", "ete", "Été", "café", "ERR_42", "a.b.c", "ok", "OK", "deploy", "redeploy", "the", "naïve", "x", "ça", "résumé", "resume"];
  const separators = [" ", ", ", ".", "-", "_", "\n", "'"];
  const docs = fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...separators)), { minLength: 1, maxLength: 8 }).map((parts) => parts.map(([w, s]) => w + s).join(""));
  const queries = fc.array(fc.tuple(fc.constantFrom("", "-", '"'), fc.constantFrom(...words, "ete ok", "err_42", "a.b", "b.c", "eploy", "sum")), { minLength: 1, maxLength: 3 }).map((terms) =>
    terms.map(([prefix, w]) => (prefix === '"' ? `"${w}"` : prefix + w)).join(" "),
  );

  test("agrees with FTS5's word and trigram indexes on folded words, phrases, substrings and exclusions", () => {
    fc.assert(
      fc.property(fc.array(docs, { minLength: 1, maxLength: 6 }), queries, (texts, q) => {
        db.exec("DELETE FROM messages; DELETE FROM search_words; DELETE FROM search_trigrams; UPDATE search_state SET indexed_upto = 0");
        const insert = db.query("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (1, 1, ?, ?, 0) RETURNING id");
        const ids = texts.map((body) => (insert.get(crypto.randomUUID(), body) as { id: number }).id);
        db.exec(`INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source;
                 INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source;`);
        const { text } = planText(parseQuery(q));
        if (text.substrings.length + text.phrases.length === 0) return;
        const params: SearchParams = [1, [1], [], null, null, 0, 0, text.substrings, text.notSubstrings, text.phrases, text.notPhrases, Number.MAX_SAFE_INTEGER, 0, 100, []];
        const byIndex = conn.allSync(text.substrings.length ? searchSql.bySubstring : searchSql.byWords, ...params).map((r) => r.id).sort((a, b) => a - b);
        const match = textMatcher(text);
        const byMatcher = ids.filter((_, i) => match(texts[i]!));
        expect({ q, texts, found: byMatcher }).toEqual({ q, texts, found: byIndex });
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
