// Finding the message a request acts on, as the actor may see it, and the change counter every
// change of a message moves. A message the actor may not see is refused exactly like one that does
// not exist (chat-errors.ts), whatever the reason: another room, a room they left, deleted.
import { users } from "../accounts/users.ts";
import type { Conn, Tx } from "../db/store.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { messageSql as q, type MessageTarget } from "./message-queries.ts";

/** A message the actor can see: in a room they belong to, or a public room when they are an admin. */
export async function visibleTarget(db: Conn, claimed: { userId: number; isAdmin: boolean }, messageId: number): Promise<MessageTarget> {
  const row = await db.get(q.target, claimed.userId, messageId);
  // Admin rights are confirmed in the transaction that uses them: a demotion counts from its commit on.
  const actor = row && row.role === null ? await users.confirmed(db, claimed) : claimed;
  if (!row || row.deletedAt !== null || (row.role === null && !(actor.isAdmin && row.kind === "public"))) throw chatErrors.messageNotFound();
  return row;
}

/** A message in a room the user belongs to (reacting, pinning, replying: members only, admins too). */
export async function memberTarget(db: Conn, userId: number, messageId: number): Promise<MessageTarget> {
  const row = await db.get(q.target, userId, messageId);
  if (!row || row.deletedAt !== null || row.role === null) throw chatErrors.messageNotFound();
  return row;
}

/** The next change number: one server-wide counter, so a reconnecting client asks for what came after. */
export async function nextChangeSeq(tx: Tx): Promise<number> {
  return (await tx.get(q.maxSeq))!.seq + 1;
}
