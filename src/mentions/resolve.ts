// The server, not the client, decides who a message mentions: `@username` tokens (tokens.ts) that
// name a member of the room, by username or by the look-alike skeleton (usernames are unique by
// skeleton, so "@pаypal" can only find the one person it looks like). Unknown names, and people not
// in the room, stay plain text. `@room` mentions everyone, only from the room's owner or an admin
// (anyone in a DM) and only in rooms of up to MAX_ROOM_MENTION_MEMBERS members.
import { AppError } from "../errors.ts";
import type { Conn, Tx } from "../db/store.ts";
import { MAX_ROOM_MENTION_MEMBERS, type RoomKind, type RoomRole } from "../protocol.ts";
import { mentionSql as q } from "./mention-queries.ts";
import { mentionTokens } from "./tokens.ts";

export interface MentionAuthor {
  userId: number;
  isAdmin: boolean;
  /** The author's role in the room and the room's kind (from the access check already made). */
  role: RoomRole | null;
  kind: RoomKind;
}

export const mentionErrors = {
  roomNotAllowed: () =>
    new AppError(403, "mention_room_not_allowed", "Only the room's owner or an administrator can notify everyone with @room."),
  roomTooLarge: () =>
    new AppError(403, "mention_room_too_large", `@room notifies everyone only in rooms of up to ${MAX_ROOM_MENTION_MEMBERS} members.`),
};

/** The ids `body` mentions in the room, sorted, the author left out. Throws (before any write) for a refused @room. */
export async function resolveMentions(db: Conn, roomId: number, author: MentionAuthor, body: string): Promise<number[]> {
  const tokens = mentionTokens(body);
  const ids = new Set<number>();
  if (tokens.room) {
    if (author.kind !== "dm" && author.role !== "owner" && !author.isAdmin) throw mentionErrors.roomNotAllowed();
    if ((await db.get(q.memberCount, roomId))!.n > MAX_ROOM_MENTION_MEMBERS) throw mentionErrors.roomTooLarge();
    for (const row of await db.all(q.everyoneBut, roomId, author.userId, MAX_ROOM_MENTION_MEMBERS)) ids.add(row.id);
  }
  if (tokens.keys.length > 0) {
    for (const row of await db.all(q.membersNamed, roomId, tokens.keys, tokens.skeletons)) if (row.id !== author.userId) ids.add(row.id);
  }
  return [...ids].sort((a, b) => a - b);
}

export const mentionsJson = (ids: number[]): string | null => (ids.length ? JSON.stringify(ids) : null);

/** A new message's mentions: each person is recorded as notified. */
export async function recordMentions(tx: Tx, messageId: number, roomId: number, ids: number[]): Promise<void> {
  for (const userId of ids) await tx.run(q.insert, messageId, userId, roomId);
}

/**
 * An edited message's mentions: people mentioned for the first time are recorded and returned (to
 * be notified, once); people no longer mentioned stop counting in badges and the Mentions view, but
 * a notification already sent is never taken back, and mentioning them again does not repeat it.
 */
export async function updateMentions(tx: Tx, messageId: number, roomId: number, ids: number[]): Promise<number[]> {
  const before = new Map((await tx.all(q.ofMessage, messageId)).map((row) => [row.userId, row.active === 1]));
  const now = new Set(ids);
  const added: number[] = [];
  for (const userId of ids) {
    const active = before.get(userId);
    if (active === undefined) {
      await tx.run(q.insert, messageId, userId, roomId);
      added.push(userId);
    } else if (!active) await tx.run(q.setActive, 1, messageId, userId);
  }
  for (const [userId, active] of before) if (active && !now.has(userId)) await tx.run(q.setActive, 0, messageId, userId);
  return added;
}
