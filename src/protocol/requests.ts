// Part of the real-time protocol (src/protocol.ts re-exports every part). Requests (browser ->
// server) and the replies their acks carry. Types and plain constants only, importing nothing but
// the other parts, so web/ can import it.
import type { Message, Reaction, PinInfo, ThreadReadState, Room } from "./shapes.ts";

// ---------------------------------------------------------------------------------------------
// Requests: browser -> server. `requestId` (1-64 characters of the client's choosing) is echoed in
// the `ack` or `error` that answers it; without one, success is silent and only errors are sent.

interface Request {
  requestId?: string;
}

export interface MessagePost extends Request {
  type: "message.post";
  roomId: number;
  /** A UUID. Sending the same clientId again stores nothing new and acks the first message. */
  clientId: string;
  /** May be empty when `attachments` are sent (it is then their caption, or nothing). */
  body: string;
  /** A reply in the thread of this message (of the same room); a reply's id means its root's thread. */
  threadRootId?: number;
  /** With threadRootId: show the reply in the room's timeline too. */
  alsoToRoom?: boolean;
  /** A quote-reply to this message of the same room. */
  quoteId?: number;
  /**
   * Files uploaded beforehand (POST /api/rooms/{roomId}/uploads), sent together as this message's
   * attachments, in this order; at most MAX_ATTACHMENTS.
   */
  attachments?: string[];
}
export interface MessageEdit extends Request {
  type: "message.edit";
  messageId: number;
  /** A file message's caption may be edited to "" (the files stay); a text message's may not. */
  body: string;
}
export interface MessageDelete extends Request {
  type: "message.delete";
  messageId: number;
}
export interface RoomJoin extends Request {
  type: "room.join";
  roomId: number;
}
export interface RoomLeave extends Request {
  type: "room.leave";
  roomId: number;
}
/** Send while typing, at most every ~2 s; the indicator expires TYPING_TTL_MS after the last one. */
export interface TypingStart extends Request {
  type: "typing.start";
  roomId: number;
}
export interface ReadMark extends Request {
  type: "read.mark";
  roomId: number;
  messageId: number;
}
/**
 * After a reconnect: for each room, the newest message id the client has. The answer holds every
 * message after it, oldest first. `since` is the `changeSeq` the client last saw (from `ready`,
 * a previous sync, or `seq` of message.updated/deleted or messages.deleted); edits and deletions since then of
 * messages the client already has come back in `changes`.
 */
export interface Sync extends Request {
  type: "sync";
  rooms: { roomId: number; lastId: number }[];
  since?: number;
}
/**
 * A page of the room's timeline (or, with threadRootId, of that thread's replies), newest first: those
 * with id < before (or the newest when no cursor is given); with `after`, the oldest ones after it;
 * with `around`, the message (or, for a thread-only reply, its root) and those on either side of it.
 * At most one of before, after and around.
 */
export interface History extends Request {
  type: "history";
  roomId: number;
  before?: number;
  after?: number;
  around?: number;
  threadRootId?: number;
  limit?: number;
}
export interface ReactionAdd extends Request {
  type: "reaction.add";
  messageId: number;
  /** One emoji (RGI_Emoji); a variation selector the canonical form lacks (or needs) is forgiven. */
  emoji: string;
}
export interface ReactionRemove extends Request {
  type: "reaction.remove";
  messageId: number;
  emoji: string;
}
export interface MessagePin extends Request {
  type: "message.pin";
  messageId: number;
}
export interface MessageUnpin extends Request {
  type: "message.unpin";
  messageId: number;
}
/** Marks a thread I can see read up to `messageId` (default: its newest reply); I follow it from then on. */
export interface ThreadRead extends Request {
  type: "thread.read";
  threadRootId: number;
  messageId?: number;
}
/** Application-level liveness check (browsers cannot see protocol pings); answered by an ack. */
export interface Ping extends Request {
  type: "ping";
}
/**
 * This tab is visible (or no longer is). While any of a user's tabs is visible the server sends
 * that user no Web Push: the tab shows its own notifications.
 */
export interface ClientVisibility extends Request {
  type: "client.visibility";
  visible: boolean;
}

export type ClientRequest =
  | MessagePost
  | MessageEdit
  | MessageDelete
  | RoomJoin
  | RoomLeave
  | TypingStart
  | ReadMark
  | Sync
  | History
  | Ping
  | ReactionAdd
  | ReactionRemove
  | MessagePin
  | MessageUnpin
  | ThreadRead
  | ClientVisibility;

export type RequestType = ClientRequest["type"];

/**
 * A stored message and whether it was stored before (a resend of its clientId): what posting over
 * HTTP answers, and what the domain hands the socket layer.
 */
export interface PostedMessage {
  message: Message;
  duplicate: boolean;
}

/**
 * A post's ack carries only what the sender lacks: the id and time the server gave its message. The
 * message itself reaches the sender's sockets as `message.created`, like everyone else's (usually
 * just before the ack; in a cluster it may follow it). A resend of a message already stored is the
 * exception: its `message.created` may have gone to a socket that is gone, so the ack brings it.
 */
export type PostAck =
  | { messageId: number; createdAt: number; duplicate: false }
  | { messageId: number; createdAt: number; duplicate: true; message: Message };

/** What `ack` carries for each request, besides `type: "ack"` and `requestId`. */
export interface Replies {
  "message.post": PostAck;
  "message.edit": { message: Message };
  "message.delete": { roomId: number; messageId: number };
  "room.join": { room: Room };
  "room.leave": { roomId: number };
  "typing.start": Record<string, never>;
  "read.mark": ReadState;
  sync: {
    /** hasMore: sync that room again from its new last id (replies are kept under ~512 KiB). */
    rooms: { roomId: number; messages: Message[]; hasMore: boolean }[];
    /** Current state of messages edited or deleted after `since`, in the order it happened. */
    changes: Message[];
    /** The next `since`. */
    changeSeq: number;
    /** More changes remain: sync again with the new changeSeq. */
    hasMoreChanges: boolean;
  };
  history: HistoryPage;
  ping: Record<string, never>;
  "reaction.add": ReactionReply;
  "reaction.remove": ReactionReply;
  "message.pin": PinReply;
  "message.unpin": PinReply;
  "thread.read": ThreadReadState;
  "client.visibility": Record<string, never>;
}

/** A page of history, newest first. */
export interface HistoryPage {
  roomId: number;
  messages: Message[];
  /** Older messages exist before this page. */
  hasMore: boolean;
  /** With `after` or `around`: newer messages exist after this page. */
  hasNewer?: boolean;
  /** With threadRootId: the thread's root, so that a thread opened from a link shows it. */
  root?: Message;
  /** With `around` a thread-only reply: its thread (the page is around the root). */
  threadRootId?: number;
}

/** The message's reactions after the change (the change itself may have been a no-op resend). */
export interface ReactionReply {
  roomId: number;
  messageId: number;
  reactions: Reaction[];
}

export interface PinReply {
  roomId: number;
  messageId: number;
  pinned: PinInfo | null;
}

export type AckEvent<K extends RequestType = RequestType> = { type: "ack"; requestId: string } & Replies[K];

export interface ReadState {
  roomId: number;
  lastReadId: number;
  unread: number;
  /** Unread messages that mention me. */
  mentions: number;
}
