// A page of a room's history centred on one message, for opening a search result or a link to a
// message "in context": the message, some older and some newer ones, oldest first. Members only; a
// message that is not in that room, or was deleted, is refused like one that never existed.
import type { Actor } from "../accounts/sessions.ts";
import type { Conn } from "../db/store.ts";
import { MAX_AROUND_LIMIT, type AroundReply } from "../protocol.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { messageSql as q, toMessage } from "./message-queries.ts";

export async function messagesAround(db: Conn, actor: Actor, roomId: number, messageId: number, limit: number): Promise<AroundReply> {
  await roomQueries.memberAccess(db, actor.userId, roomId);
  const size = Math.min(Math.max(2, Math.trunc(limit)), MAX_AROUND_LIMIT);
  const olderWanted = Math.floor(size / 2);
  const newerWanted = size - olderWanted;
  // From the message itself upwards (id > messageId - 1), oldest first; then the older half.
  const newer = await db.all(q.after, roomId, messageId - 1, newerWanted + 1);
  if (newer[0]?.id !== messageId) throw chatErrors.messageNotFound();
  const older = await db.all(q.page, roomId, messageId, olderWanted + 1);
  return {
    roomId,
    messages: [...older.slice(0, olderWanted).reverse(), ...newer.slice(0, newerWanted)].map(toMessage),
    hasOlder: older.length > olderWanted,
    hasNewer: newer.length > newerWanted,
  };
}
