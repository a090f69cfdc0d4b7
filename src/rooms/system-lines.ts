// System lines: what happened to a room (someone joined, left, was added or removed; the room was
// renamed or its topic changed) stored as a message of its own, in the timeline between the messages
// around it, written by the command that made the change and announced with it. The line holds what
// happened, not words: each reader's client says it in their language (web/src/chat/system-line.ts),
// with names as the accounts show them when it is read. Lines are not unread messages.
import type { Tx } from "../db/store.ts";
import { decorateOne } from "../messages/decorate.ts";
import { messageSql } from "../messages/message-queries.ts";
import type { RoomEventLine } from "../protocol.ts";

export type SystemLine =
  | { kind: "joined" | "left" }
  | { kind: "added" | "removed"; userId: number }
  | { kind: "renamed"; name: string }
  | { kind: "topic"; topic: string };

/** Writes the line by `authorId` in `roomId` and announces it to the room (after the commit). */
export async function systemLine(tx: Tx, roomId: number, authorId: number, line: SystemLine, now: number): Promise<void> {
  const stored: Pick<RoomEventLine, "kind"> & { name?: string; topic?: string } = { kind: line.kind };
  if (line.kind === "renamed") stored.name = line.name;
  if (line.kind === "topic") stored.topic = line.topic;
  const subject = line.kind === "added" || line.kind === "removed" ? line.userId : null;
  const inserted = (await tx.get(messageSql.insertEvent, roomId, authorId, crypto.randomUUID(), now, JSON.stringify(stored), subject))!;
  const message = await decorateOne(tx, (await tx.get(messageSql.one, inserted.id))!, null);
  tx.announce({ kind: "event", to: { room: roomId }, event: { type: "message.created", message } });
}
