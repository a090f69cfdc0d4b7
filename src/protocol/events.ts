// Part of the real-time protocol (src/protocol.ts re-exports every part). Events: server ->
// browser. Types and plain constants only, importing nothing but the other parts, so web/ can
// import it.
import type { UserRef, Message, ThreadSummary, Reaction, PinInfo, ThreadReadState, Room, RoomNotify, NotificationSettings, RoomInfo, RoomRequest, RoomMember, Me } from "./shapes.ts";
import type { AckEvent, ReadState } from "./requests.ts";
import type { ErrorCode } from "./errors.ts";

// ---------------------------------------------------------------------------------------------
// Events: server -> browser.

/** The first frame on every connection. */
export interface ReadyEvent {
  type: "ready";
  user: Me;
  rooms: Room[];
  /** Invitations waiting for my answer, oldest first (always sent; optional for older test doubles). */
  requests?: RoomRequest[];
  /** Cursor for `sync.since`. */
  changeSeq: number;
  /** My notification choices (each room's own level is in its `notify`). */
  notifications: NotificationSettings;
}
export interface MessageCreated {
  type: "message.created";
  message: Message;
  /**
   * A thread reply: its root's summary after it, and the root's new `rev`. One frame per reply, so a
   * reply costs the room no more than a message (no separate thread.updated).
   */
  thread?: ThreadSummary;
  seq?: number;
}
export interface MessageUpdated {
  type: "message.updated";
  message: Message;
  seq: number;
}
export interface MessageDeleted {
  type: "message.deleted";
  roomId: number;
  messageId: number;
  seq: number;
}
/**
 * Several messages of a room deleted at once (retention, disappearing messages): the same as one
 * `message.deleted` for each id, in one frame. `seq` is the last change number of the batch.
 */
export interface MessagesDeleted {
  type: "messages.deleted";
  roomId: number;
  messageIds: number[];
  seq: number;
}
/** I joined, was invited or added, or a DM with me was opened. */
export interface RoomAdded {
  type: "room.added";
  room: Room;
}
/**
 * I left or was removed: forget the room; no more of its events arrive. "hidden": I put a DM away;
 * it comes back (room.added) with its next message.
 */
export interface RoomRemoved {
  type: "room.removed";
  roomId: number;
  reason: "left" | "removed" | "hidden";
}
/** An invitation now waits for my answer. */
export interface RequestAdded {
  type: "request.added";
  request: RoomRequest;
}
/** An invitation was answered (here or on another of my devices) or withdrawn. */
export interface RequestRemoved {
  type: "request.removed";
  roomId: number;
  reason: "accepted" | "declined" | "withdrawn";
}
export interface RoomUpdated {
  type: "room.updated";
  room: RoomInfo;
}
/** Someone joined or was added. Whether they are online comes from presence (presence.changed). */
export interface MemberJoined {
  type: "member.joined";
  roomId: number;
  member: RoomMember;
  /** The room's member count after the change: set, never added to (a join may arrive after a `room.added` that counted it). */
  memberCount?: number;
}
export interface MemberLeft {
  type: "member.left";
  roomId: number;
  userId: number;
  reason: "left" | "removed";
  /** The room's member count after the change. */
  memberCount?: number;
}
/**
 * Users came online or went offline, server-wide (batched, about once a second; offline after a
 * short grace). Every socket receives it: GET /api/presence shows the same list to anyone logged in.
 */
export interface PresenceChanged {
  type: "presence.changed";
  online: number[];
  offline: number[];
}
/**
 * Someone's name changed (display name). Every socket receives it, as names are shown to anyone
 * logged in; clients relabel what they already show.
 */
export interface UserUpdated {
  type: "user.updated";
  user: UserRef;
}
/** Someone started (typing: true) or stopped typing; an indicator ends by itself after TYPING_TTL_MS. */
export interface TypingEvent {
  type: "typing";
  roomId: number;
  user: UserRef;
  typing: boolean;
}
/** My read position moved (on this or another of my devices). */
export interface ReadUpdated extends ReadState {
  type: "read.updated";
}
/**
 * Someone reacted or took a reaction back. `reactions` is the message's whole list after it (without
 * `mine`: it is the same frame for everyone; `userId` and `added` say what changed). `seq` is the
 * message's new `rev`, and a change cursor like message.updated's.
 */
export interface ReactionChanged {
  type: "reaction.changed";
  roomId: number;
  messageId: number;
  userId: number;
  emoji: string;
  added: boolean;
  reactions: Reaction[];
  seq: number;
}
export interface MessagePinned {
  type: "message.pinned";
  roomId: number;
  messageId: number;
  pinned: PinInfo;
  seq: number;
}
export interface MessageUnpinned {
  type: "message.unpinned";
  roomId: number;
  messageId: number;
  seq: number;
}
/**
 * A thread changed without a new reply (a reply was deleted): its summary, to the room. Or, to my own
 * devices only, my reading of it (thread.read, or I started following it).
 */
export type ThreadUpdated =
  | { type: "thread.updated"; roomId: number; rootId: number; thread: ThreadSummary; seq: number }
  | { type: "thread.updated"; roomId: number; rootId: number; read: ThreadReadState };
/**
 * An edit added a mention of me: notify me of this message now (each person is notified of a given
 * message's mention once, however often it is edited).
 */
export interface MentionAdded {
  type: "mention.added";
  message: Message;
}
/** My level or mute for a room changed (here or on another device). */
export interface RoomNotifyUpdated {
  type: "room.notify";
  roomId: number;
  notify: RoomNotify;
}
/** My notification settings changed (here or on another device). */
export interface NotificationSettingsUpdated {
  type: "notifications.updated";
  notifications: NotificationSettings;
}
/** My list of devices with push on changed. */
export interface PushDevicesChanged {
  type: "push.changed";
}
export interface ErrorEvent {
  type: "error";
  code: ErrorCode;
  message: string;
  requestId?: string;
  /** With rate_limited: when to try again. */
  retryAfterMs?: number;
}

export type ServerEvent =
  | ReadyEvent
  | AckEvent
  | ErrorEvent
  | MessageCreated
  | MessageUpdated
  | MessageDeleted
  | MessagesDeleted
  | RoomAdded
  | RoomRemoved
  | RoomUpdated
  | RequestAdded
  | RequestRemoved
  | MemberJoined
  | MemberLeft
  | PresenceChanged
  | UserUpdated
  | TypingEvent
  | ReadUpdated
  | ReactionChanged
  | MessagePinned
  | MessageUnpinned
  | ThreadUpdated
  | MentionAdded
  | RoomNotifyUpdated
  | NotificationSettingsUpdated
  | PushDevicesChanged;

/**
 * Stable error codes, the same over HTTP (`{ error, message }`) and the socket: the closed set of
 * every refusal the server can give. The web client translates each one (web/src/i18n), and a test
 * checks both catalogues cover them all.
 */
