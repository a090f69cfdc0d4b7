// Search statements. Every shape takes the same parameters (SearchParams), the terms as arrays of
// text; each engine turns them into its own index's query in SQL, so a typed `"`, `*` or `&` is
// always a character to find:
// - SQLite quotes each term as an FTS5 string ("..." with " doubled) and joins them with AND / OR /
//   NOT; inside a string FTS5 only tokenizes, it parses no syntax.
// - Postgres folds each term (vaultroom_search_fold), escapes LIKE's wildcards, and builds phrases
//   with phraseto_tsquery (migration 009).
// Three shapes, by what can drive the look-up: a substring (trigram index), else a word or phrase
// (word index), else nothing (filters only: the messages themselves). All three walk ids downwards
// within [floor, below) and stop at `limit`, so each statement's work is bounded by its id window
// (search.ts widens the window step by step).
import { sql } from "../db/query.ts";
import type { RoomKind } from "../protocol.ts";
import { COLUMNS, FROM, type MessageRow } from "../messages/message-queries.ts";

export type SearchParams = [
  me: number,
  rooms: number[],
  authors: number[],
  since: number | null,
  until: number | null,
  hasFile: 0 | 1,
  hasLink: 0 | 1,
  substrings: string[],
  notSubstrings: string[],
  phrases: string[],
  notPhrases: string[],
  below: number,
  floor: number,
  limit: number,
];

// ---- SQLite: FTS5 expressions built from the JSON arrays ?8 ... ?11.
const ftsString = `'"' || replace(value, '"', '""') || '"'`;
const ftsAll = (param: string) => `(SELECT '(' || group_concat(${ftsString}, ' AND ') || ')' FROM json_each(${param}))`;
const ftsAny = (param: string) => `(SELECT '(' || group_concat(${ftsString}, ' OR ') || ')' FROM json_each(${param}))`;
const ftsAllBut = (all: string, none: string) => `${ftsAll(all)} || coalesce(' NOT ' || ${ftsAny(none)}, '')`;

const sqliteFilters = (id: string) => `${id} < ?12 AND ${id} >= ?13 AND m.deleted_at IS NULL
    AND m.room_id IN (SELECT value FROM json_each(?2))
    AND m.room_id IN (SELECT room_id FROM room_members WHERE user_id = ?1)
    AND (json_array_length(?3) = 0 OR m.author_id IN (SELECT value FROM json_each(?3)))
    AND (?4 IS NULL OR m.created_at >= ?4) AND (?5 IS NULL OR m.created_at < ?5)
    AND (?6 = 0 OR EXISTS (SELECT 1 FROM files hf WHERE hf.message_id = m.id))
    AND (?7 = 0 OR m.body LIKE '%http://%' OR m.body LIKE '%https://%' OR m.body LIKE '%mailto:%')`;
const sqliteNoWords = (id: string) =>
  `(json_array_length(?11) = 0 OR NOT EXISTS (SELECT 1 FROM search_words xw WHERE xw.search_words MATCH ${ftsAny("?11")} AND xw.rowid = ${id}))`;
const sqliteNoSubstrings = (id: string) =>
  `(json_array_length(?9) = 0 OR NOT EXISTS (SELECT 1 FROM search_trigrams xt WHERE xt.search_trigrams MATCH ${ftsAny("?9")} AND xt.rowid = ${id}))`;

// ---- Postgres: the same from real arrays.
const pgFilters = `m.id < ?12 AND m.id >= ?13 AND m.deleted_at IS NULL
    AND m.room_id = ANY(?2::bigint[])
    AND EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = m.room_id AND rm.user_id = ?1)
    AND (cardinality(?3::bigint[]) = 0 OR m.author_id = ANY(?3::bigint[]))
    AND (CAST(?4 AS BIGINT) IS NULL OR m.created_at >= ?4) AND (CAST(?5 AS BIGINT) IS NULL OR m.created_at < ?5)
    AND (CAST(?6 AS INTEGER) = 0 OR EXISTS (SELECT 1 FROM files hf WHERE hf.message_id = m.id))
    AND (CAST(?7 AS INTEGER) = 0 OR m.body ILIKE '%http://%' OR m.body ILIKE '%https://%' OR m.body ILIKE '%mailto:%')`;
const pgSubstrings = `s.doc LIKE ALL (SELECT vaultroom_search_pattern(t) FROM unnest(?8::text[]) t)`;
const pgNoSubstrings = `NOT (s.doc LIKE ANY (SELECT vaultroom_search_pattern(t) FROM unnest(?9::text[]) t))`;
const pgPhrases = `(cardinality(?10::text[]) = 0 OR s.words @@ (SELECT vaultroom_tsquery_and(vaultroom_search_phrase(t)) FROM unnest(?10::text[]) t))`;
const pgNoPhrases = `NOT coalesce(s.words @@ (SELECT vaultroom_tsquery_or(vaultroom_search_phrase(t)) FROM unnest(?11::text[]) t), false)`;

export const searchSql = {
  /** Driven by the trigram index: the first (longest) substring, then the rest of the terms. */
  bySubstring: sql<{ id: number }, SearchParams>({
    sqlite: `SELECT g.rowid AS id FROM search_trigrams g JOIN messages m ON m.id = g.rowid
              WHERE g.search_trigrams MATCH ${ftsAllBut("?8", "?9")}
                AND ${sqliteFilters("g.rowid")}
                AND (json_array_length(?10) = 0 OR EXISTS (SELECT 1 FROM search_words w WHERE w.search_words MATCH ${ftsAll("?10")} AND w.rowid = g.rowid))
                AND ${sqliteNoWords("g.rowid")}
              ORDER BY g.rowid DESC LIMIT ?14`,
    postgres: `SELECT m.id FROM message_search s JOIN messages m ON m.id = s.message_id
                WHERE s.doc LIKE vaultroom_search_pattern((?8::text[])[1]) AND ${pgSubstrings} AND ${pgNoSubstrings}
                  AND ${pgPhrases} AND ${pgNoPhrases}
                  AND s.message_id < ?12 AND s.message_id >= ?13 AND ${pgFilters}
                ORDER BY s.message_id DESC LIMIT ?14`,
  }),
  /** Driven by the word index: whole words and phrases. */
  byWords: sql<{ id: number }, SearchParams>({
    sqlite: `SELECT w.rowid AS id FROM search_words w JOIN messages m ON m.id = w.rowid
              WHERE w.search_words MATCH ${ftsAllBut("?10", "?11")}
                AND ${sqliteFilters("w.rowid")}
                AND ${sqliteNoSubstrings("w.rowid")}
                AND json_array_length(?8) = 0
              ORDER BY w.rowid DESC LIMIT ?14`,
    postgres: `SELECT m.id FROM message_search s JOIN messages m ON m.id = s.message_id
                WHERE s.words @@ (SELECT vaultroom_tsquery_and(vaultroom_search_phrase(t)) FROM unnest(?10::text[]) t)
                  AND ${pgNoPhrases} AND ${pgNoSubstrings} AND cardinality(?8::text[]) = 0
                  AND s.message_id < ?12 AND s.message_id >= ?13 AND ${pgFilters}
                ORDER BY s.message_id DESC LIMIT ?14`,
  }),
  /** No word to look up: the messages in the window, filtered (and without the excluded words). */
  byFilters: sql<{ id: number }, SearchParams>({
    sqlite: `SELECT m.id FROM messages m
              WHERE ${sqliteFilters("m.id")}
                AND ${sqliteNoWords("m.id")} AND ${sqliteNoSubstrings("m.id")}
                AND json_array_length(?8) = 0 AND json_array_length(?10) = 0
              ORDER BY m.id DESC LIMIT ?14`,
    postgres: `SELECT m.id FROM messages m LEFT JOIN message_search s ON s.message_id = m.id
                WHERE ${pgFilters}
                  AND (s.message_id IS NULL OR (${pgNoPhrases} AND ${pgNoSubstrings}))
                  AND cardinality(?8::text[]) = 0 AND cardinality(?10::text[]) = 0
                ORDER BY m.id DESC LIMIT ?14`,
  }),

  /** The found messages, whole, with their rooms; still only where the reader is a member. */
  results: sql<MessageRow & { roomKind: RoomKind; roomName: string }, [number[], number]>({
    sqlite: `SELECT ${COLUMNS}, r.kind AS "roomKind", r.name AS "roomName" ${FROM} JOIN rooms r ON r.id = m.room_id
              WHERE m.id IN (SELECT value FROM json_each(?1)) AND m.deleted_at IS NULL
                AND m.room_id IN (SELECT room_id FROM room_members WHERE user_id = ?2)`,
    postgres: `SELECT ${COLUMNS}, r.kind AS "roomKind", r.name AS "roomName" ${FROM} JOIN rooms r ON r.id = m.room_id
                WHERE m.id = ANY(?1::bigint[]) AND m.deleted_at IS NULL
                  AND EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = m.room_id AND rm.user_id = ?2)`,
  }),

  /** Where each of these rooms' messages begin and end: the id range a search walks. */
  roomSpans: sql<{ first: number | null; last: number | null }, [number[]]>({
    sqlite: `SELECT (SELECT id FROM messages WHERE room_id = r.value ORDER BY id LIMIT 1) AS first,
                    (SELECT id FROM messages WHERE room_id = r.value ORDER BY id DESC LIMIT 1) AS last
               FROM json_each(?) r`,
    postgres: `SELECT (SELECT id FROM messages WHERE room_id = r ORDER BY id LIMIT 1) AS first,
                      (SELECT id FROM messages WHERE room_id = r ORDER BY id DESC LIMIT 1) AS last
                 FROM unnest(?::bigint[]) r`,
  }),

  /** The reader's rooms, with names for in: (rooms) and DM peers' usernames (in:@name). */
  myRooms: sql<{ id: number; kind: RoomKind; name: string }, [number]>(
    `SELECT r.id, r.kind, r.name FROM room_members rm JOIN rooms r ON r.id = rm.room_id WHERE rm.user_id = ?`,
  ),
  /** Active users by username key, for from:. */
  usersByKey: sql<{ id: number }, [string]>(`SELECT id FROM users WHERE username_key = ? AND deleted_at IS NULL`),
};
