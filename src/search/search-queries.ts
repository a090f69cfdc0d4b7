// Search statements. Every shape takes the same parameters (SearchParams), the terms as arrays of
// text; each engine turns them into its own index's query in SQL, so a typed `"`, `*` or `&` is
// always a character to find:
// - SQLite quotes each term as an FTS5 string ("..." with " doubled), restricted to the doc column,
//   and joins them with AND / OR / NOT; inside a string FTS5 only tokenizes, it parses no syntax.
//   from:, in: and has: are tokens of the meta column (migration 009), ids and fixed words only.
// - Postgres folds each term (vaultroom_search_fold), escapes LIKE's wildcards, and builds phrases
//   with phraseto_tsquery (migration 009); filters are columns of message_search.
// The shapes, by what can drive the look-up: a substring (trigram index), else a word or phrase
// (word index), else a filter held in the index (from:/in:/has:), else nothing (dates only: the
// messages themselves). All walk ids downwards within [floor, below), below the indexed mark, and
// stop at `limit`; `tail` reads what is above the mark for search.ts to match itself.
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
  /** Rooms the index itself is asked for (in:, room=); empty when every room of the reader is searched. */
  onlyRooms: number[],
];

// ---- SQLite: FTS5 expressions built from the JSON arrays.
const ftsString = `'"' || replace(value, '"', '""') || '"'`;
const ftsAll = (param: string) => `(SELECT '(' || group_concat(${ftsString}, ' AND ') || ')' FROM json_each(${param}))`;
const ftsAny = (param: string) => `(SELECT '(' || group_concat(${ftsString}, ' OR ') || ')' FROM json_each(${param}))`;
/** The meta column's filters ANDed, or NULL when there are none. `pad` is " " in the trigram index. */
const ftsMeta = (pad: string) => `(SELECT group_concat(part, ' AND ') FROM (
      SELECT 'meta : (' || group_concat('"${pad}a' || value || '${pad}"', ' OR ') || ')' AS part FROM json_each(?3) HAVING count(*) > 0
      UNION ALL SELECT 'meta : (' || group_concat('"${pad}r' || value || '${pad}"', ' OR ') || ')' FROM json_each(?15) HAVING count(*) > 0
      UNION ALL SELECT 'meta : "${pad}file${pad}"' WHERE ?6 = 1
      UNION ALL SELECT 'meta : "${pad}link${pad}"' WHERE ?7 = 1))`;
/** doc must hold all of `all`, none of `none`, and the filters. */
const ftsQuery = (all: string, none: string, pad: string) =>
  `'(doc : ' || ${ftsAll(all)} || ')' || coalesce(' AND ' || ${ftsMeta(pad)}, '') || coalesce(' NOT (doc : ' || ${ftsAny(none)} || ')', '')`;

/** Checks on the message row itself: membership now, the window, dates (the index has the rest). */
const sqliteFilters = (id: string) => `${id} < ?12 AND ${id} >= ?13 AND m.deleted_at IS NULL
    AND m.room_id IN (SELECT value FROM json_each(?2))
    AND m.room_id IN (SELECT room_id FROM room_members WHERE user_id = ?1)
    AND (?4 IS NULL OR m.created_at >= ?4) AND (?5 IS NULL OR m.created_at < ?5)`;
const sqliteNoWords = (id: string) =>
  `(json_array_length(?11) = 0 OR NOT EXISTS (SELECT 1 FROM search_words xw WHERE xw.search_words MATCH 'doc : ' || ${ftsAny("?11")} AND xw.rowid = ${id}))`;
const sqliteNoSubstrings = (id: string) =>
  `(json_array_length(?9) = 0 OR NOT EXISTS (SELECT 1 FROM search_trigrams xt WHERE xt.search_trigrams MATCH 'doc : ' || ${ftsAny("?9")} AND xt.rowid = ${id}))`;
/** Every parameter appears in every statement (Postgres must infer each one's type). */
const sqliteUnused = `json_array_length(?8) >= 0 AND json_array_length(?10) >= 0`;

// ---- Postgres: the same from real arrays.
const pgFilters = `m.id < ?12 AND m.id >= ?13 AND m.deleted_at IS NULL
    AND m.room_id = ANY(?2::bigint[])
    AND EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = m.room_id AND rm.user_id = ?1)
    AND (CAST(?4 AS BIGINT) IS NULL OR m.created_at >= ?4) AND (CAST(?5 AS BIGINT) IS NULL OR m.created_at < ?5)`;
const pgMeta = `(cardinality(?3::bigint[]) = 0 OR s.author_id = ANY(?3::bigint[]))
    AND (cardinality(?15::bigint[]) = 0 OR s.room_id = ANY(?15::bigint[]))
    AND (CAST(?6 AS INTEGER) = 0 OR s.has_file = 1) AND (CAST(?7 AS INTEGER) = 0 OR s.has_link = 1)`;
const pgSubstrings = `s.doc LIKE ALL (SELECT vaultroom_search_pattern(t) FROM unnest(?8::text[]) t)`;
const pgNoSubstrings = `NOT (s.doc LIKE ANY (SELECT vaultroom_search_pattern(t) FROM unnest(?9::text[]) t))`;
const pgPhrases = `(cardinality(?10::text[]) = 0 OR s.words @@ (SELECT vaultroom_tsquery_and(vaultroom_search_phrase(t)) FROM unnest(?10::text[]) t))`;
const pgNoPhrases = `NOT coalesce(s.words @@ (SELECT vaultroom_tsquery_or(vaultroom_search_phrase(t)) FROM unnest(?11::text[]) t), false)`;
const pgIndexed = `FROM message_search s JOIN messages m ON m.id = s.message_id
                   WHERE s.message_id < ?12 AND s.message_id >= ?13 AND ${pgMeta} AND ${pgFilters}
                     AND ${pgNoSubstrings} AND ${pgNoPhrases} AND ${pgPhrases}`;

const results = <R>(sqlite: string, postgres: string) => sql<R, SearchParams>({ sqlite, postgres });

type TailRow = { id: number; body: string; fileName: string | null };
/** Rows search.ts matches itself (see `tail`), with an extra condition on the message. */
function tailSql(extra: string, engine: "sqlite" | "postgres" = "sqlite"): string {
  // A message may carry several files (issue 19): their names on lines of their own, one row per message.
  if (engine === "sqlite") {
    return `SELECT m.id, m.body, (SELECT group_concat(f.name, char(10)) FROM files f WHERE f.message_id = m.id) AS "fileName" FROM messages m
      WHERE ${sqliteFilters("m.id")} ${extra}
        AND (json_array_length(?3) = 0 OR m.author_id IN (SELECT value FROM json_each(?3)))
        AND (?6 = 0 OR EXISTS (SELECT 1 FROM files f WHERE f.message_id = m.id))
        AND (?7 = 0 OR m.body LIKE '%http://%' OR m.body LIKE '%https://%' OR m.body LIKE '%mailto:%')
        AND json_array_length(?8) + json_array_length(?9) + json_array_length(?10) + json_array_length(?11) + json_array_length(?15) >= 0
      ORDER BY m.id DESC LIMIT ?14`;
  }
  return `SELECT m.id, m.body, (SELECT string_agg(f.name, E'\\n' ORDER BY f.id) FROM files f WHERE f.message_id = m.id) AS "fileName" FROM messages m
      WHERE ${pgFilters} ${extra}
        AND (cardinality(?3::bigint[]) = 0 OR m.author_id = ANY(?3::bigint[]))
        AND (CAST(?6 AS INTEGER) = 0 OR EXISTS (SELECT 1 FROM files f WHERE f.message_id = m.id))
        AND (CAST(?7 AS INTEGER) = 0 OR m.body ILIKE '%http://%' OR m.body ILIKE '%https://%' OR m.body ILIKE '%mailto:%')
        AND cardinality(?8::text[]) + cardinality(?9::text[]) + cardinality(?10::text[]) + cardinality(?11::text[]) + cardinality(?15::bigint[]) >= 0
      ORDER BY m.id DESC LIMIT ?14`;
}

export const searchSql = {
  /** Driven by the trigram index: substrings, then words, filters and exclusions. */
  bySubstring: results<{ id: number }>(
    `SELECT g.rowid AS id FROM search_trigrams g JOIN messages m ON m.id = g.rowid
      WHERE g.search_trigrams MATCH ${ftsQuery("?8", "?9", " ")}
        AND ${sqliteFilters("g.rowid")}
        AND (json_array_length(?10) = 0 OR EXISTS (SELECT 1 FROM search_words w WHERE w.search_words MATCH 'doc : ' || ${ftsAll("?10")} AND w.rowid = g.rowid))
        AND ${sqliteNoWords("g.rowid")}
      ORDER BY g.rowid DESC LIMIT ?14`,
    // The longest substring is the one the trigram index looks up; the others are checked on its rows.
    `SELECT m.id ${pgIndexed} AND s.doc LIKE vaultroom_search_pattern((?8::text[])[1]) AND ${pgSubstrings}
      ORDER BY s.message_id DESC LIMIT ?14`,
  ),
  /** Driven by the word index: whole words and phrases, filters, exclusions. */
  byWords: results<{ id: number }>(
    `SELECT w.rowid AS id FROM search_words w JOIN messages m ON m.id = w.rowid
      WHERE w.search_words MATCH ${ftsQuery("?10", "?11", "")}
        AND ${sqliteFilters("w.rowid")} AND ${sqliteNoSubstrings("w.rowid")} AND ${sqliteUnused}
      ORDER BY w.rowid DESC LIMIT ?14`,
    `SELECT m.id ${pgIndexed} AND cardinality(?8::text[]) = 0 AND s.words @@ (SELECT vaultroom_tsquery_and(vaultroom_search_phrase(t)) FROM unnest(?10::text[]) t)
      ORDER BY s.message_id DESC LIMIT ?14`,
  ),
  /** No word to look for, but a filter the index holds (from:, in:, has:). */
  byMeta: results<{ id: number }>(
    `SELECT w.rowid AS id FROM search_words w JOIN messages m ON m.id = w.rowid
      WHERE w.search_words MATCH ${ftsMeta("")}
        AND ${sqliteFilters("w.rowid")} AND ${sqliteNoWords("w.rowid")} AND ${sqliteNoSubstrings("w.rowid")} AND ${sqliteUnused}
      ORDER BY w.rowid DESC LIMIT ?14`,
    `SELECT m.id ${pgIndexed} AND cardinality(?8::text[]) = 0
      ORDER BY s.message_id DESC LIMIT ?14`,
  ),
  /** Nothing the index can find (dates only): the messages of the window themselves. */
  byDate: results<{ id: number }>(
    `SELECT m.id FROM messages m
      WHERE ${sqliteFilters("m.id")} AND ${sqliteNoWords("m.id")} AND ${sqliteNoSubstrings("m.id")} AND ${sqliteUnused}
        AND json_array_length(?3) = 0 AND json_array_length(?15) = 0 AND ?6 = 0 AND ?7 = 0
      ORDER BY m.id DESC LIMIT ?14`,
    `SELECT m.id ${pgIndexed} AND cardinality(?8::text[]) = 0
      ORDER BY s.message_id DESC LIMIT ?14`,
  ),

  /**
   * Messages above the indexed mark in the window, filtered by everything but the text (search.ts
   * matches the text itself, folded as the indexes fold it). At most ?14 rows.
   */
  tail: results<TailRow>(tailSql(""), tailSql("", "postgres")),
  /**
   * is:pinned: the pinned messages of the window, filtered like `tail` and matched the same way. A room
   * holds at most MAX_PINS_PER_ROOM pins, so these are few; the partial index messages_pinned finds them.
   */
  pinned: results<TailRow>(tailSql("AND m.pinned_at IS NOT NULL"), tailSql("AND m.pinned_at IS NOT NULL", "postgres")),

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
  /** The first message at or after an id, for turning dates into ids (ids grow with time). */
  createdAtFrom: sql<{ id: number; createdAt: number }, [number]>(
    `SELECT id, created_at AS "createdAt" FROM messages WHERE id >= ? ORDER BY id LIMIT 1`,
  ),

  /** The reader's rooms, with names for in:. */
  myRooms: sql<{ id: number; kind: RoomKind; name: string }, [number]>(
    `SELECT r.id, r.kind, r.name FROM room_members rm JOIN rooms r ON r.id = rm.room_id WHERE rm.user_id = ?`,
  ),
  /** An active user by username key, for from:. */
  userByKey: sql<{ id: number }, [string]>(`SELECT id FROM users WHERE username_key = ? AND deleted_at IS NULL`),
  /** Active users by display name, compared as name clashes are (accounts/name-clashes.ts), for from:"Alice Martin". */
  usersByDisplaySkeleton: sql<{ id: number }, [string]>(`SELECT id FROM users WHERE display_skeleton = ? AND deleted_at IS NULL LIMIT 8`),
  /** Every message with an id up to this is indexed. */
  indexedUpto: sql<{ upto: number }, []>(`SELECT indexed_upto AS upto FROM search_state WHERE id = 1`),
};
