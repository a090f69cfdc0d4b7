// Messages: post, edit, delete and read marks. Every write is a command in the group transaction;
// it announces what happened from inside that transaction, delivered only after the commit.
import type { Actor } from "../accounts/sessions.ts";
import { appendAudit } from "../accounts/audit.ts";
import { command, type Store, type Tx } from "../db/store.ts";
import { fileRecords, type StoredFile } from "../files/records.ts";
import { toAttachment } from "../files/attachment.ts";
import { currentQuota } from "../files/quota.ts";
import { MAX_MESSAGE_LENGTH, type Message, type PinReply, type PostedMessage, type ReactionReply, type ReadState, type Replies, type ThreadReadState, type UserRef } from "../protocol.ts";
import { users } from "../accounts/users.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { messageSql as q, toMessage } from "./message-queries.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import { createMessageReads } from "./message-reads.ts";
import { decorateOne } from "./decorate.ts";
import { canonicalEmoji } from "../protocol/emoji.ts";
import { pinMessage, unpinMessage } from "./pins.ts";
import { addReaction, removeReaction } from "./reactions.ts";
import { memberTarget, nextChangeSeq, visibleTarget } from "./targets.ts";
import { addReply, readThread, replyRemoved, rootFor } from "./threads.ts";
import { mentionsJson, recordMentions, resolveMentions, updateMentions } from "../mentions/resolve.ts";
import { attachments, type StagedUpload } from "./attachments.ts";
import { postMany, type PostInput } from "./bulk-post.ts";
import { sql } from "../db/query.ts";
import type { Metrics } from "../metrics/metrics.ts";

export interface NewMessage {
  roomId: number;
  clientId: string;
  body: string;
  /** A reply in this message's thread (its root's, when it is itself a reply). */
  threadRootId?: number;
  /** With threadRootId: shown in the room's timeline too. */
  alsoToRoom?: boolean;
  /** A quote-reply to this message of the same room. */
  quoteId?: number;
  /** A file already stored on disk (files/upload.ts); with one, the body is an optional caption. */
  attachment?: NewAttachment;
  /** Uploads made beforehand for this message (files/staged-uploads.ts), sent together, in order. */
  uploads?: string[];
}

/** A received file to record with the message, in the message's own transaction. */
export interface NewAttachment extends StoredFile {
  /** --user-quota, for the quota check under the write lock (parallel uploads may have used the space). */
  defaultQuotaBytes: number;
}

export function checkBody(body: string): string {
  if (body.length > MAX_MESSAGE_LENGTH) throw chatErrors.invalid(`A message is at most ${MAX_MESSAGE_LENGTH} characters.`);
  // Only controls, zero-width or bidi marks, spaces or fillers ("\u0000", "\u200b") draw nothing: empty.
  if (!hasVisibleText(body)) throw chatErrors.invalid("A message cannot be empty.");
  // A lone surrogate ("\ud800" in JSON) has no UTF-8 form: the database would keep U+FFFD while the
  // ack and everyone's live copy showed the original, so what was acked would not be what was stored.
  if (!body.isWellFormed()) throw chatErrors.invalid("A message must be valid Unicode text.");
  return body;
}

const dmSql = {
  // In a DM of two, the other person has blocked the author (consent.ts): their messages stop there.
  blockedInPair: sql<{ blocked: number }, [number, number, number]>(
    `SELECT CASE WHEN (SELECT count(*) FROM room_members WHERE room_id = ?1) = 2 AND EXISTS (
        SELECT 1 FROM room_members o JOIN user_blocks b ON b.user_id = o.user_id AND b.blocked_id = ?2
         WHERE o.room_id = ?3 AND o.user_id <> ?2) THEN 1 ELSE 0 END AS blocked`,
  ),
};

/** A DM comes back for whoever had hidden it, before the message that brings it back. */
async function showDmAgain(tx: Tx, roomId: number): Promise<void> {
  for (const userId of await roomQueries.unhideAll(tx, roomId)) {
    const room = await roomQueries.roomFor(tx, userId, roomId);
    tx.announce({ kind: "joined", userId, roomId });
    if (room) tx.announce({ kind: "event", to: { user: userId }, event: { type: "room.added", room } });
  }
}
// Posts by different people into different rooms touch different rows: their room's (members, a DM
// shown again, thread roots, quotes, ids in order) and their author's (clientIds, files, quota). A
// reply also draws a change number (max + 1), which only one command may do at a time.
const postLanes = ({ author, message }: PostInput): string[] => [
  `room:${message.roomId}`,
  `user:${author.id}`,
  ...(message.threadRootId === undefined ? [] : ["change-seq"]),
];

export const postMessage = command(
  "messages.post",
  async (tx, input: PostInput): Promise<PostedMessage> => {
    const { author, message: m, now } = input;
    const access = await roomQueries.memberAccess(tx, author.id, m.roomId);
    if (access.archivedAt !== null) throw chatErrors.roomArchived();
    if (access.kind === "dm" && (await tx.get(dmSql.blockedInPair, m.roomId, author.id, m.roomId))!.blocked === 1) throw chatErrors.notAccepting();
    if (m.attachment) {
      const quota = await currentQuota(tx, m.attachment.defaultQuotaBytes);
      await fileRecords.assertFits(tx, author.id, m.attachment.size, quota.bytes);
    }
    const existing = await tx.get(q.byClientId, author.id, m.clientId);
    if (existing) {
      // A resend of a message already stored: answer with the original, store nothing.
      const original = await decorateOne(tx, existing, author.id);
      if (original.roomId !== m.roomId) throw chatErrors.clientIdReused();
      return { message: original, duplicate: true };
    }
    // Quota was counted when each upload arrived; here they must still be the author's, for this room.
    const staged: StagedUpload[] = m.uploads?.length ? await attachments.staged(tx, author.id, m.roomId, m.uploads) : [];
    if (!m.attachment && staged.length === 0 && !hasVisibleText(m.body)) throw chatErrors.invalid("A message cannot be empty.");
    // Resolved before the insert: a refused @room is a check, and nothing is written yet.
    const mentions = await resolveMentions(tx, m.roomId, { userId: author.id, isAdmin: input.isAdmin ?? false, role: access.role, kind: access.kind }, m.body);
    // Checked before anything is written: a root or quote from another room, a room left, or gone is not found.
    const root = m.threadRootId === undefined ? null : await rootFor(tx, author.id, m.roomId, m.threadRootId);
    const quoted = m.quoteId === undefined ? null : await memberTarget(tx, author.id, m.quoteId);
    if (quoted && (quoted.roomId !== m.roomId || quoted.isEvent)) throw chatErrors.messageNotFound();
    const alsoToRoom = root !== null && m.alsoToRoom === true;
    if (access.kind === "dm") await showDmAgain(tx, m.roomId);
    // The clientId was looked up above, in this transaction: the insert cannot meet a duplicate.
    const inserted = (await tx.get(
      q.insert, m.roomId, author.id, m.clientId, m.body, now, root?.id ?? null, alsoToRoom ? 1 : 0, quoted?.id ?? null, mentionsJson(mentions),
    ))!;
    const message: Message = { id: inserted.id, roomId: m.roomId, author, clientId: m.clientId, body: m.body, createdAt: now, ...(mentions.length ? { mentions } : {}) };
    await recordMentions(tx, message.id, m.roomId, mentions);
    const files = [];
    if (m.attachment) {
      await fileRecords.insert(tx, { ...m.attachment, messageId: message.id, uploaderId: author.id, createdAt: now });
      files.push(toAttachment(m.attachment));
    }
    files.push(...(await attachments.attach(tx, message.id, staged, now, files.length)));
    if (files.length) {
      message.attachment = files[0]!;
      message.attachments = files;
    }
    if (quoted) message.quote = toMessage((await tx.get(q.one, message.id))!).quote!;
    if (!root) {
      tx.announce({ kind: "event", to: { room: m.roomId }, event: { type: "message.created", message } });
      return { message, duplicate: false };
    }
    message.threadRootId = root.id;
    if (alsoToRoom) message.alsoToRoom = true;
    // One frame for the reply and its root's new summary: a reply costs the room what a message does.
    const { thread, seq } = await addReply(tx, { id: message.id, authorId: author.id, createdAt: now }, root);
    tx.announce({ kind: "event", to: { room: m.roomId }, event: { type: "message.created", message, thread, seq } });
    return { message, duplicate: false };
  },
  {
    lanes: postLanes,
    // Plain posts of a batch: one check and one insert for all of them (bulk-post.ts).
    runMany: (tx, inputs) => postMany(tx, inputs, postLanes),
  },
);

/** A file message's caption may be emptied; any other message keeps some text. */
const editMessage = command(
  "messages.edit",
  async (tx, input: { actor: { userId: number; isAdmin: boolean }; messageId: number; body: string; now: number }): Promise<Replies["message.edit"]> => {
    const row = await visibleTarget(tx, input.actor, input.messageId);
    if (row.authorId !== input.actor.userId || row.isEvent) throw chatErrors.notAllowed("Only its author can edit a message.");
    if (row.archivedAt !== null) throw chatErrors.roomArchived();
    if (!hasVisibleText(input.body) && !(await attachments.hasFiles(tx, input.messageId))) throw chatErrors.invalid("A message cannot be empty.");
    const mentions = await resolveMentions(tx, row.roomId, { ...input.actor, role: row.role, kind: row.kind }, input.body);
    const seq = await nextChangeSeq(tx);
    await tx.run(q.edit, input.body, mentionsJson(mentions), input.now, seq, input.messageId);
    const added = await updateMentions(tx, input.messageId, row.roomId, mentions);
    // Files, reactions, pin and thread stay through an edit; `mine` is left to each reader's own copy.
    const message = await decorateOne(tx, (await tx.get(q.one, input.messageId))!, null);
    tx.announce({ kind: "event", to: { room: message.roomId }, event: { type: "message.updated", message, seq } });
    // Only the people this edit mentions for the first time are notified (each once per message).
    if (added.length) tx.announce({ kind: "event", to: { users: added }, event: { type: "mention.added", message } });
    return { message };
  },
);

/**
 * The one way a message is deleted, whoever deletes it (its author, a moderator, retention): the text
 * is erased in place (the row stays as a tombstone so cursors and sync stay right), its file goes
 * with it (a trigger, migration 003), the change is numbered for sync and announced to the room.
 * Features that keep copies of a message's text (a search index) remove them here.
 */
export async function eraseMessage(
  tx: Tx,
  message: { id: number; roomId: number; reactions?: string | null; pinnedAt?: number | null; threadRootId?: number | null },
  now: number,
  options: { announce?: boolean } = {},
): Promise<number> {
  const seq = await nextChangeSeq(tx);
  // Its reactions and pin go with it (erase clears the row's summary and pin). A caller that does not
  // know the row's summary (retention) drops whatever reactions there are.
  await tx.run(q.erase, now, seq, message.id);
  if (message.reactions !== null) await tx.run(q.dropReactions, message.id);
  // Bulk deletions (retention) announce one `messages.deleted` per room and batch instead.
  if (options.announce !== false) {
    if (message.pinnedAt != null) {
      tx.announce({ kind: "event", to: { room: message.roomId }, event: { type: "message.unpinned", roomId: message.roomId, messageId: message.id, seq } });
    }
    tx.announce({ kind: "event", to: { room: message.roomId }, event: { type: "message.deleted", roomId: message.roomId, messageId: message.id, seq } });
  }
  // A reply's root shows one reply fewer (and goes when it was a deleted root's last).
  if (message.threadRootId != null) await replyRemoved(tx, message.roomId, message.threadRootId);
  return seq;
}

/**
 * Authors delete their own messages; a room's owner any message in their room; an admin any message
 * at all (also in a room they are not in: a reported message), even in an archived room. Deleting
 * someone else's message is moderation: it is audited.
 */
const deleteMessage = command(
  "messages.delete",
  async (tx, input: { actor: { userId: number; isAdmin: boolean }; messageId: number; now: number }): Promise<Replies["message.delete"] & { moderated: boolean }> => {
    const { messageId } = input;
    const row = await tx.get(q.target, input.actor.userId, messageId);
    if (!row || row.deletedAt !== null) throw chatErrors.messageNotFound();
    const own = row.authorId === input.actor.userId;
    const owner = row.role === "owner" && row.kind !== "dm";
    // Admin rights are confirmed in this transaction whenever they are what allows the deletion (a
    // demotion on another node counts at once).
    const needsAdmin = row.role === null || (!own && !owner) || row.archivedAt !== null;
    const actor = needsAdmin ? await users.confirmed(tx, input.actor) : input.actor;
    if (row.role === null && !actor.isAdmin) throw chatErrors.messageNotFound();
    if (row.isEvent) throw chatErrors.notAllowed("A system line cannot be deleted.");
    if (!own && !owner && !actor.isAdmin) throw chatErrors.notAllowed("Only its author, the room's owner or an admin can delete a message.");
    if (row.archivedAt !== null && !actor.isAdmin) throw chatErrors.roomArchived();
    await eraseMessage(tx, row, input.now);
    if (!own) {
      await appendAudit(tx, "message_deleted", {
        actorId: actor.userId,
        target: `message:${messageId}`,
        detail: { roomId: row.roomId, authorId: row.authorId, as: actor.isAdmin ? "admin" : "owner" },
      }, input.now);
    }
    return { roomId: row.roomId, messageId, moderated: !own };
  },
);

/** Moves my read position forward (never back, never past the newest message) on all my devices. */
const markRead = command("messages.markRead", async (tx, input: { userId: number; roomId: number; messageId: number }): Promise<ReadState> => {
  const { userId, roomId } = input;
  await roomQueries.memberAccess(tx, userId, roomId);
  const newest = (await tx.get(q.lastId, roomId))?.id ?? 0;
  const upTo = Math.min(input.messageId, newest);
  const { changes } = await tx.run(q.markRead, upTo, roomId, userId, upTo);
  const state = await tx.get(q.readState, roomId, userId);
  const readState: ReadState = { roomId, lastReadId: state?.lastReadId ?? 0, unread: state?.unread ?? 0, mentions: state?.mentions ?? 0 };
  if (changes > 0) tx.announce({ kind: "event", to: { user: userId }, event: { type: "read.updated", ...readState } });
  return readState;
});

const authorOf = (actor: Actor): UserRef => ({ id: actor.userId, username: actor.username, displayName: actor.displayName });
const actorRef = (actor: Actor) => ({ userId: actor.userId, isAdmin: actor.isAdmin });

export function createMessages({ store, typingStopped, metrics }: { store: Store; typingStopped(roomId: number, user: UserRef): void; metrics?: Metrics }) {
  return {
    ...createMessageReads(store.read),

    /**
     * Stores a message (once per clientId) and, after the commit, announces it to the room.
     * `onCommitted` runs right after the announcement, before the promise settles, so a socket can
     * ack in the same corked write as the batch's other frames.
     */
    post(actor: Actor, input: NewMessage, onCommitted?: (reply: PostedMessage) => void): Promise<PostedMessage> {
      // With files the text is an optional caption: one that shows nothing is no caption.
      const withFiles = input.attachment !== undefined || (input.uploads?.length ?? 0) > 0;
      const body = withFiles && !hasVisibleText(input.body) ? "" : checkBody(input.body);
      const author = authorOf(actor);
      // Sending ends the author's typing indicator, and its "stopped" frame must reach the room
      // before the message does: the write queue delivers the message.created announcement before
      // any `committed` callback runs, so the indicator is stopped here, when the message is sent.
      typingStopped(input.roomId, author);
      return store.write(
        postMessage,
        { author, isAdmin: actor.isAdmin, message: { ...input, body }, now: Date.now() },
        {
          committed: (reply) => {
            if (!reply.duplicate) metrics?.messagesPosted.inc();
            onCommitted?.(reply);
          },
        },
      );
    },

    async edit(actor: Actor, messageId: number, rawBody: string): Promise<Replies["message.edit"]> {
      // An empty caption is checked against the message (only a file message may have none).
      const body = hasVisibleText(rawBody) ? checkBody(rawBody) : "";
      const reply = await store.write(editMessage, { actor: actorRef(actor), messageId, body, now: Date.now() });
      metrics?.messagesEdited.inc();
      return reply;
    },

    async delete(actor: Actor, messageId: number): Promise<Replies["message.delete"]> {
      const reply = await store.write(deleteMessage, { actor: actorRef(actor), messageId, now: Date.now() });
      metrics?.messagesDeleted.inc({ cause: reply.moderated ? "moderator" : "author" });
      return { roomId: reply.roomId, messageId: reply.messageId };
    },

    markRead(actor: Actor, roomId: number, messageId: number): Promise<ReadState> {
      return store.write(markRead, { userId: actor.userId, roomId, messageId });
    },

    /** Adds my reaction (once: a resend changes nothing); refuses what is not one emoji. */
    react(actor: Actor, messageId: number, rawEmoji: string, add: boolean): Promise<ReactionReply> {
      const emoji = canonicalEmoji(rawEmoji);
      if (emoji === null) throw chatErrors.invalidEmoji();
      return store.write(add ? addReaction : removeReaction, { userId: actor.userId, messageId, emoji, now: Date.now() });
    },

    pin(actor: Actor, messageId: number, pinned: boolean): Promise<PinReply> {
      return store.write(pinned ? pinMessage : unpinMessage, { actor: actorRef(actor), by: authorOf(actor), messageId, now: Date.now() });
    },

    readThread(actor: Actor, rootId: number, messageId: number | undefined): Promise<ThreadReadState> {
      return store.write(readThread, { userId: actor.userId, rootId, messageId });
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;

