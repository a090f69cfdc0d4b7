// Messages: post, edit, delete, history, reconnect sync and read marks. Every write goes through
// the write queue and is announced only after its transaction has committed.
import type { Database } from "bun:sqlite";
import type { Actor } from "../accounts/sessions.ts";
import {
  MAX_MESSAGE_LENGTH,
  type Attachment,
  type Message,
  type ReadState,
  type Replies,
  type UserRef,
} from "../protocol.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import type { RoomQueries } from "../rooms/room-queries.ts";
import { topics, type Hub } from "../ws/broadcast.ts";
import { createMessageQueries, toMessage, type MessageTarget } from "./message-queries.ts";
import { createMessageReads } from "./message-reads.ts";
import type { WriteQueue } from "./write-queue.ts";

export interface MessageDeps {
  db: Database;
  rooms: RoomQueries;
  queue: WriteQueue;
  hub: Hub;
  /** Posting ends the author's typing indicator in that room. */
  typingStopped(roomId: number, user: UserRef): void;
}

export interface NewMessage {
  roomId: number;
  clientId: string;
  body: string;
  /** A file to attach (files/upload.ts); with one, the body is an optional caption. */
  attachment?: AttachmentWriter;
}

/** Stores an attachment in the message's own transaction, so both commit (and are announced) together. */
export interface AttachmentWriter {
  /** Runs before anything is written; may refuse with an AppError (e.g. over quota). */
  check(): void;
  /** Runs right after the message row is inserted; must not throw an AppError. */
  store(message: Message): Attachment;
}

export function checkBody(body: string): string {
  if (body.length > MAX_MESSAGE_LENGTH) throw chatErrors.invalid(`A message is at most ${MAX_MESSAGE_LENGTH} characters.`);
  // Only controls, zero-width or bidi marks, spaces or fillers ("\u0000", "\u200b") draw nothing: empty.
  if (!hasVisibleText(body)) throw chatErrors.invalid("A message cannot be empty.");
  // A lone surrogate ("\ud800" in JSON) has no UTF-8 form: SQLite would keep U+FFFD while the ack and
  // everyone's live copy showed the original, so what was acked would not be what was stored.
  if (!body.isWellFormed()) throw chatErrors.invalid("A message must be valid Unicode text.");
  return body;
}

export function createMessages({ db, rooms, queue, hub, typingStopped }: MessageDeps) {
  const q = createMessageQueries(db);
  // One server-wide counter for edits and deletions; only this process writes, so memory is enough.
  let changeSeq = q.maxSeq.get()!.seq;

  const authorOf = (actor: Actor): UserRef => ({ id: actor.userId, username: actor.username, displayName: actor.displayName });

  function writableMember(actor: Actor, roomId: number): void {
    if (rooms.memberAccess(actor.userId, roomId).archivedAt !== null) throw chatErrors.roomArchived();
  }

  /** A message the actor can see: in a room they belong to, or a public room when they are an admin. */
  function target(actor: Actor, messageId: number): MessageTarget {
    const row = q.target.get(actor.userId, messageId);
    if (!row || row.deletedAt !== null || (row.role === null && !(actor.isAdmin && row.kind === "public"))) {
      throw chatErrors.messageNotFound();
    }
    return row;
  }

  function readState(userId: number, roomId: number): ReadState {
    const state = q.readState.get(roomId, userId);
    return { roomId, lastReadId: state?.lastReadId ?? 0, unread: state?.unread ?? 0 };
  }

  return {
    get changeSeq() {
      return changeSeq;
    },

    ...createMessageReads({ q, rooms, changeSeq: () => changeSeq }),

    /**
     * Stores a message (once per clientId) and, after the commit, announces it to the room.
     * `onCommitted` runs right after the announcement with the message already serialised, so a
     * socket can ack without serialising it a second time.
     */
    post(
      actor: Actor,
      input: NewMessage,
      onCommitted?: (reply: Replies["message.post"], messageJson: string) => void,
    ): Promise<Replies["message.post"]> {
      // With a file attached the text is an optional caption.
      const body = input.attachment && !hasVisibleText(input.body) ? "" : checkBody(input.body);
      const author = authorOf(actor);
      return queue.submit(
        () => {
          writableMember(actor, input.roomId);
          input.attachment?.check();
          const now = Date.now();
          const inserted = q.insert.run(input.roomId, actor.userId, input.clientId, body, now);
          if (inserted.changes === 1) {
            const message: Message = {
              id: Number(inserted.lastInsertRowid),
              roomId: input.roomId,
              author,
              clientId: input.clientId,
              body,
              createdAt: now,
              editedAt: null,
              deletedAt: null,
            };
            if (input.attachment) message.attachment = input.attachment.store(message);
            return { message, duplicate: false };
          }
          // A resend of a message already stored: answer with the original, store nothing.
          const original = toMessage(q.byClientId.get(actor.userId, input.clientId)!);
          if (original.roomId !== input.roomId) throw chatErrors.clientIdReused();
          return { message: original, duplicate: true };
        },
        (reply) => {
          const json = JSON.stringify(reply.message);
          if (!reply.duplicate) {
            typingStopped(reply.message.roomId, author);
            // Serialised once for every recipient.
            hub.publish(topics.room(reply.message.roomId), `{"type":"message.created","message":${json}}`);
          }
          onCommitted?.(reply, json);
        },
      );
    },

    edit(actor: Actor, messageId: number, rawBody: string): Promise<Replies["message.edit"]> {
      const body = checkBody(rawBody);
      return queue.submit(
        () => {
          const row = target(actor, messageId);
          if (row.authorId !== actor.userId) throw chatErrors.notAllowed("Only its author can edit a message.");
          if (row.archivedAt !== null) throw chatErrors.roomArchived();
          const seq = ++changeSeq;
          q.edit.run(body, Date.now(), seq, messageId);
          return { message: toMessage(q.one.get(messageId)!), seq };
        },
        ({ message, seq }) => hub.toRoom(message.roomId, { type: "message.updated", message, seq }),
      ).then(({ message }) => ({ message }));
    },

    /** Authors delete their own messages; admins any they can see, even in an archived room. */
    delete(actor: Actor, messageId: number): Promise<Replies["message.delete"]> {
      return queue.submit(
        () => {
          const row = target(actor, messageId);
          if (row.authorId !== actor.userId && !actor.isAdmin) throw chatErrors.notAllowed("Only its author or an admin can delete a message.");
          if (row.archivedAt !== null && !actor.isAdmin) throw chatErrors.roomArchived();
          const seq = ++changeSeq;
          q.erase.run(Date.now(), seq, messageId);
          return { roomId: row.roomId, messageId, seq };
        },
        ({ roomId, seq }) => hub.toRoom(roomId, { type: "message.deleted", roomId, messageId, seq }),
      ).then(({ roomId }) => ({ roomId, messageId }));
    },

    /** Moves my read position forward (never back, never past the newest message) on all my devices. */
    markRead(actor: Actor, roomId: number, messageId: number): Promise<ReadState> {
      return queue.submit(
        () => {
          rooms.memberAccess(actor.userId, roomId);
          const newest = q.lastId.get(roomId)?.id ?? 0;
          const upTo = Math.min(messageId, newest);
          const { changes } = q.markRead.run(upTo, roomId, actor.userId, upTo);
          return { state: readState(actor.userId, roomId), moved: changes > 0 };
        },
        ({ state, moved }) => {
          if (moved) hub.toUser(actor.userId, { type: "read.updated", ...state });
        },
      ).then(({ state }) => state);
    },
  };
}

export type Messages = ReturnType<typeof createMessages>;
