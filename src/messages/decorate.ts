// Rows become messages for one reader, a page at a time: their files, the names of thread participants and which
// reactions are the reader's own. Each costs at most one statement per page, and none at all for a
// page without threads (participants) or without a reaction list cut short (mine): the summaries on
// the rows (message-queries.ts) already hold everything else.
import type { Conn } from "../db/store.ts";
import type { Message, Reaction, UserRef } from "../protocol.ts";
import { messageSql as q, participantIds, toMessages, type MessageRow } from "./message-queries.ts";

/** `rows` as messages, with participants named and, for a reader, `mine` on their reactions. */
export async function decorate(db: Conn, rows: readonly MessageRow[], readerId: number | null): Promise<Message[]> {
  const messages = await toMessages(db, rows);
  await nameParticipants(db, rows, messages);
  if (readerId !== null) await markMine(db, messages, readerId);
  return messages;
}

export async function decorateOne(db: Conn, row: MessageRow, readerId: number | null): Promise<Message> {
  return (await decorate(db, [row], readerId))[0]!;
}

async function nameParticipants(db: Conn, rows: readonly MessageRow[], messages: Message[]): Promise<void> {
  const wanted = new Set<number>();
  for (const row of rows) if (row.replyCount > 0) for (const id of participantIds(row)) wanted.add(id);
  if (wanted.size === 0) return;
  const users = await usersById(db, [...wanted]);
  rows.forEach((row, i) => {
    const thread = messages[i]!.thread;
    if (thread) thread.participants = participantIds(row).map((id) => users.get(id)).filter((u): u is UserRef => u !== undefined);
  });
}

export async function usersById(db: Conn, ids: number[]): Promise<Map<number, UserRef>> {
  const found = ids.length ? await db.all(q.usersByIds, ids) : [];
  return new Map(found.map((u) => [u.id, { id: u.id, username: u.username, displayName: u.displayName, ...(u.deleted ? { deleted: true as const } : {}) }]));
}

/**
 * Sets `mine` where the reader reacted. Their id among the named reactors settles it; only a list cut
 * short (more reactors than REACTION_NAMES_SHOWN) without them needs asking the database.
 */
export async function markMine(db: Conn, messages: { id: number; reactions?: Reaction[] }[], readerId: number): Promise<void> {
  const unsure: number[] = [];
  for (const message of messages) {
    let ask = false;
    for (const reaction of message.reactions ?? []) {
      if (reaction.userIds.includes(readerId)) reaction.mine = true;
      else if (reaction.count > reaction.userIds.length) ask = true;
    }
    if (ask) unsure.push(message.id);
  }
  if (unsure.length === 0) return;
  const mine = new Set((await db.all(q.myReactions, readerId, unsure)).map((r) => `${r.messageId} ${r.emoji}`));
  for (const message of messages) {
    for (const reaction of message.reactions ?? []) if (mine.has(`${message.id} ${reaction.emoji}`)) reaction.mine = true;
  }
}
