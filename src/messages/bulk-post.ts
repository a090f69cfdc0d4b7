// Posting in bulk (Command.runMany), for an engine whose every statement is a round trip and a
// client-side cost (Postgres: ~3 statements per post were most of a cluster node's CPU per message).
// When a batch holds many plain posts — visible text, into a room (not a DM) the author is a member
// of and that is not archived, no thread, quote, file or mention, and not a resend — ONE statement
// checks them all and ONE inserts them all, and each is answered and announced exactly as
// postMessage's own `run` would. Every other post is left to `run`, which makes its usual checks
// and gives its usual answer or error; the batch runs those after these (batch.ts), so a post
// sharing a lane with an earlier one left to `run` is left too, and ids follow the posts' order.
import type { Announcement } from "../announcements.ts";
import type { Conn, ManyResult } from "../db/store.ts";
import { sql } from "../db/query.ts";
import type { Message, PostedMessage, RoomKind, RoomRole, UserRef } from "../protocol.ts";
import { mentionTokens } from "../mentions/tokens.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import type { NewMessage } from "./messages.ts";

export interface PostInput {
  author: UserRef;
  isAdmin?: boolean;
  message: NewMessage;
  now: number;
}

// Arrays: Postgres gets real arrays (unnest, WITH ORDINALITY from 1); SQLite gets JSON text
// (json_each, keys from 0). Rows are numbered from 0 in both.
const bulkSql = {
  access: sql<{ i: number; kind: RoomKind | null; archivedAt: number | null; role: RoomRole | null; taken: number }, [number[], number[], string[]]>({
    sqlite: `SELECT a.key AS i, r.kind, r.archived_at AS "archivedAt", mem.role,
                    CASE WHEN EXISTS (SELECT 1 FROM messages m WHERE m.client_id = c.value AND m.author_id = a.value) THEN 1 ELSE 0 END AS taken
               FROM json_each(?1) a JOIN json_each(?2) b ON b.key = a.key JOIN json_each(?3) c ON c.key = a.key
               LEFT JOIN rooms r ON r.id = b.value
               LEFT JOIN room_members mem ON mem.room_id = b.value AND mem.user_id = a.value`,
    postgres: `SELECT t.i - 1 AS "i", r.kind, r.archived_at AS "archivedAt", mem.role,
                      CASE WHEN EXISTS (SELECT 1 FROM messages m WHERE m.client_id = t.client AND m.author_id = t.author) THEN 1 ELSE 0 END AS "taken"
                 FROM unnest(?1::bigint[], ?2::bigint[], ?3::text[]) WITH ORDINALITY AS t(author, room, client, i)
                 LEFT JOIN rooms r ON r.id = t.room
                 LEFT JOIN room_members mem ON mem.room_id = t.room AND mem.user_id = t.author`,
  }),
  // Rows are inserted in the posts' order, so ids grow in that order (drawn under the write lock).
  insert: sql<{ id: number; authorId: number; clientId: string }, [number[], number[], string[], string[], number[]]>({
    sqlite: `INSERT INTO messages (room_id, author_id, client_id, body, created_at)
             SELECT b.value, a.value, c.value, d.value, e.value
               FROM json_each(?2) a JOIN json_each(?1) b ON b.key = a.key JOIN json_each(?3) c ON c.key = a.key
               JOIN json_each(?4) d ON d.key = a.key JOIN json_each(?5) e ON e.key = a.key
              ORDER BY a.key
             RETURNING id, author_id AS "authorId", client_id AS "clientId"`,
    postgres: `INSERT INTO messages (room_id, author_id, client_id, body, created_at)
               SELECT t.room, t.author, t.client, t.body, t.at
                 FROM unnest(?1::bigint[], ?2::bigint[], ?3::text[], ?4::text[], ?5::bigint[]) WITH ORDINALITY AS t(room, author, client, body, at, i)
                ORDER BY t.i
               RETURNING id, author_id AS "authorId", client_id AS "clientId"`,
  }),
};

/** A post whose whole answer is its insert: nothing for `run` to look up or refuse but membership. */
function plain({ message: m }: PostInput): boolean {
  if (m.threadRootId !== undefined || m.quoteId !== undefined || m.attachment || m.uploads?.length) return false;
  if (!hasVisibleText(m.body)) return false;
  const tokens = mentionTokens(m.body);
  return tokens.keys.length === 0 && !tokens.room;
}

export async function postMany(
  tx: Conn,
  inputs: readonly PostInput[],
  lanesOf: (input: PostInput) => readonly string[],
): Promise<(ManyResult<PostedMessage> | undefined)[]> {
  const answers: (ManyResult<PostedMessage> | undefined)[] = new Array(inputs.length).fill(undefined);
  // A second post of the same clientId in one batch is a resend of the first: `run` answers it.
  const seen = new Set<string>();
  const candidates: number[] = [];
  inputs.forEach((input, i) => {
    const key = `${input.author.id}:${input.message.clientId}`;
    if (plain(input) && !seen.has(key)) candidates.push(i);
    seen.add(key);
  });
  if (candidates.length === 0) return answers;

  const pick = <T>(of: (input: PostInput) => T) => candidates.map((i) => of(inputs[i]!));
  const rows = await tx.all(bulkSql.access, pick((p) => p.author.id), pick((p) => p.message.roomId), pick((p) => p.message.clientId));
  const fit = new Set<number>();
  for (const row of rows) {
    if (row.role !== null && row.kind !== null && row.kind !== "dm" && row.archivedAt === null && row.taken === 0) fit.add(candidates[row.i]!);
  }
  // In order: a post that shares a lane (its room, its author) with one left to `run` is left too.
  const leftLanes = new Set<string>();
  const bulk: number[] = [];
  inputs.forEach((input, i) => {
    const lanes = lanesOf(input);
    if (fit.has(i) && !lanes.some((lane) => leftLanes.has(lane))) bulk.push(i);
    else for (const lane of lanes) leftLanes.add(lane);
  });
  if (bulk.length === 0) return answers;

  const of = <T>(get: (input: PostInput) => T) => bulk.map((i) => get(inputs[i]!));
  const inserted = await tx.all(
    bulkSql.insert,
    of((p) => p.message.roomId),
    of((p) => p.author.id),
    of((p) => p.message.clientId),
    of((p) => p.message.body),
    of((p) => p.now),
  );
  const ids = new Map(inserted.map((row) => [`${row.authorId}:${row.clientId}`, row.id]));
  for (const i of bulk) {
    const { author, message: m, now } = inputs[i]!;
    const id = ids.get(`${author.id}:${m.clientId}`);
    // Every row was checked free of its (clientId, author) under the write lock: a row missing here
    // means the database broke that promise, and the whole batch must fail rather than guess.
    if (id === undefined) throw new Error("bulk post: an inserted row is missing from RETURNING");
    const message: Message = { id, roomId: m.roomId, author, clientId: m.clientId, body: m.body, createdAt: now };
    const announced: Announcement[] = [{ kind: "event", to: { room: m.roomId }, event: { type: "message.created", message } }];
    answers[i] = { value: { message, duplicate: false }, announced };
  }
  return answers;
}
