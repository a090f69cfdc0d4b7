// Part of the real-time protocol (src/protocol.ts re-exports every part). The shapes frames carry:
// users, rooms, messages, threads, reactions, search results. Types and plain constants only,
// importing nothing but the other parts, so web/ can import it.

// ---------------------------------------------------------------------------------------------
// Shapes.

export type RoomKind = "public" | "private" | "dm";
export type RoomRole = "owner" | "member";

/** Enough of a user to show a name. */
export interface UserRef {
  id: number;
  username: string;
  displayName: string | null;
  /** A deleted account (its messages stay): show "deleted user", whatever the username says. */
  deleted?: true;
}

/** A stored message. Times are milliseconds since the epoch. Ids grow with time in every room. */
export interface Message {
  id: number;
  roomId: number;
  author: UserRef;
  /** The UUID the author's client chose; lets the client replace its pending copy. */
  clientId: string;
  /** As typed; "" once deleted. Render as text, never as HTML. */
  body: string;
  createdAt: number;
  /**
   * Set once edited, set once deleted; absent otherwise (a message.created frame goes to every member,
   * and two `null`s were ~10 % of its bytes).
   */
  editedAt?: number;
  deletedAt?: number;
  /** The first file shared with this message (issue 6); absent for plain text and once deleted. */
  attachment?: Attachment;
  /**
   * Members of the room this text mentions (`@username`, or everyone for `@room`), resolved by the
   * server when the message was stored or edited; absent when none (most messages: `"mentions":[]`
   * was 14 bytes of every delivery).
   */
  mentions?: number[];
  /** Every file shared with this message, in the order they were sent (the first is `attachment`). */
  attachments?: Attachment[];
  /**
   * A reply in a thread: its root, a top-level message of the same room (threads never nest).
   * Such a reply is shown in the thread only, unless `alsoToRoom`.
   */
  threadRootId?: number;
  /** A thread reply also shown in the room's timeline ("also send to the room"). */
  alsoToRoom?: true;
  /** A quote-reply: the message it answers, as that message is now. */
  quote?: QuotedMessage;
  /** A root with replies: the thread at a glance. */
  thread?: ThreadSummary;
  /** Reactions, in the order each emoji was first used; absent when none. */
  reactions?: Reaction[];
  /** Set while the message is pinned in its room. */
  pinned?: PinInfo;
  /** A system line (body ""): render it from this, in the reader's language. */
  event?: RoomEventLine;
  /**
   * Grows with every change of the message (edit, reaction, pin, a reply in its thread); absent for
   * one never changed. Of two copies of a message, the one with the larger `rev` is newer.
   */
  rev?: number;
}

/** The message a quote-reply answers: enough to show a snippet and jump to it. */
export interface QuotedMessage {
  id: number;
  author: UserRef;
  /** The first QUOTE_SNIPPET_LENGTH characters of its body ("" once deleted). */
  snippet: string;
  deleted?: true;
  /** The quoted message is a reply in this thread. */
  threadRootId?: number;
}

/** A thread as its root shows it. */
export interface ThreadSummary {
  replyCount: number;
  lastReplyId: number | null;
  lastReplyAt: number | null;
  /** Up to three people who replied, the most recent first. */
  participants: UserRef[];
}

/** One emoji on a message. */
export interface Reaction {
  /** One emoji (Unicode RGI_Emoji), in the server's canonical form. */
  emoji: string;
  count: number;
  /** The first REACTION_NAMES_SHOWN people who reacted with it, in order. */
  userIds: number[];
  /** In answers to one reader (history, sync, acks): whether that reader is among them. */
  mine?: true;
}

export interface PinInfo {
  by: UserRef | null;
  at: number;
}

/** What a system line says; `author` is who did it. */
export type RoomEventLine =
  | { kind: "joined" }
  | { kind: "left" }
  | { kind: "added"; user: UserRef }
  | { kind: "removed"; user: UserRef }
  | { kind: "renamed"; name: string }
  | { kind: "topic"; topic: string };

/** Who may pin in a public room (private rooms and DMs: every member). */
export type PinPolicy = "members" | "owners";

/** My reading of a thread I follow. */
export interface ThreadReadState {
  roomId: number;
  rootId: number;
  /** The newest reply I have read. */
  lastReadId: number;
  /** Replies by others after lastReadId, at most UNREAD_CAP. */
  unread: number;
}

/** A thread in my "Threads" view. */
export interface FollowedThread extends ThreadReadState {
  /** The root (a placeholder with deletedAt set when it was deleted), with its summary. */
  root: Message;
}

/**
 * A shared file. Download: GET /api/files/{id} (always an attachment); an image may be shown with
 * GET /api/files/{id}?inline=1. Upload: POST /api/rooms/{roomId}/files?name=&caption=&clientId=
 * with the raw bytes as the body.
 */
export interface Attachment {
  /** 22 characters of [A-Za-z0-9_-]. */
  id: string;
  /** Sanitised for display; not a path. */
  name: string;
  size: number;
  /** Detected from the content, never from the uploader: e.g. "image/png", "application/octet-stream". */
  type: string;
  /** PNG, JPEG, GIF or WebP: the only types ever served inline. */
  image: boolean;
  /** SHA-256 of the content, hex. */
  sha256: string;
}

/** A room or DM as one of its members sees it (the room list, `ready`, `room.added`). */
export interface Room {
  id: number;
  kind: RoomKind;
  /** "" for DMs: name them from `participants`. */
  name: string;
  topic: string;
  createdBy: number | null;
  createdAt: number;
  archivedAt: number | null;
  /** DMs: every participant, me included. Rooms: empty (use the member list). */
  participants: UserRef[];
  memberCount: number;
  /** My role here. */
  role: RoomRole;
  /** 0 when the room has no messages. */
  lastMessageId: number;
  lastMessageAt: number | null;
  /** The newest message I have read. */
  lastReadId: number;
  /** Messages by others after lastReadId, at most UNREAD_CAP (thread-only replies and system lines do not count). */
  unread: number;
  /** Who may pin here (meaningful for public rooms). */
  pinPolicy: PinPolicy;
  /** Of those, the ones that mention me (the `@2` badge), at most UNREAD_CAP. */
  mentions: number;
  /** My notification level and mute for this room. */
  notify: RoomNotify;
}

/**
 * How much a room or DM notifies: every message, mentions of me and DMs only, or nothing. Badges are
 * kept whatever the level; the level decides desktop notifications, sounds and pushes.
 */
export type NotificationLevel = "all" | "mentions" | "nothing";

export interface RoomNotify {
  /** null: the default (rooms: my default level; DMs: all). */
  level: NotificationLevel | null;
  /** Muted until then (ms since the epoch; FOREVER for "until I unmute"); null when not muted. */
  mutedUntil: number | null;
}

/** My account-wide notification choices. */
export interface NotificationSettings {
  /** The level of rooms I did not set one for (DMs default to all). */
  defaultLevel: NotificationLevel;
  /** Do not disturb until then (ms); null when off. */
  dndUntil: number | null;
  /** A short sound with notifications from rooms (off by default) and from DMs (on by default). */
  soundRooms: boolean;
  soundDms: boolean;
  /** Notifications show the first NOTIFICATION_PREVIEW_LENGTH characters of the message. */
  previews: boolean;
}

/** The parts of a room that `room.updated` announces. */
export interface RoomInfo {
  id: number;
  kind: RoomKind;
  name: string;
  topic: string;
  archivedAt: number | null;
  pinPolicy: PinPolicy;
}

/**
 * An invitation waiting for my answer: someone I have never talked to (no DM or private room shared)
 * added me to a room or opened a DM with me. Until I accept, I am not a member: I see this card, not
 * the room's messages or members.
 */
export interface RoomRequest {
  roomId: number;
  kind: RoomKind;
  /** "" for DMs. */
  name: string;
  topic: string;
  invitedBy: UserRef;
  /** DMs: everyone in it or invited to it, me included. Rooms: empty. */
  participants: UserRef[];
  memberCount: number;
  createdAt: number;
}

/** A public room in the directory of rooms one may join. */
export interface PublicRoom {
  id: number;
  name: string;
  topic: string;
  memberCount: number;
  joined: boolean;
  createdAt: number;
}

/** A page of the public room directory, by name; `nextAfter` is the `after` for the next page, null at the end. */
export interface PublicRoomPage {
  rooms: PublicRoom[];
  nextAfter: number | null;
}

/** A member of a room as the room's events announce them. */
export interface RoomMember extends UserRef {
  role: RoomRole;
  joinedAt: number;
}

/** A member as the member list shows them, with whether they are online now. */
export interface Member extends RoomMember {
  online: boolean;
}

/** A user in the directory (for starting DMs and inviting). No e-mail, no secrets. */
export interface DirectoryUser extends UserRef {
  online: boolean;
}

export interface Me extends UserRef {
  isAdmin: boolean;
}

/** Where a search result was said: enough to name it (DMs are named from the reader's room list). */
export interface SearchRoom {
  id: number;
  kind: RoomKind;
  /** "" for DMs. */
  name: string;
}

/** A part of a text that matched: [start, end) in UTF-16 units, as JavaScript's String.slice counts. */
export type TextRange = [start: number, end: number];

/** One message found by GET /api/search. Never HTML: show the body as text, marking the ranges. */
export interface SearchResult {
  message: Message;
  room: SearchRoom;
  /** The matches in message.body, in order, not overlapping. */
  highlights: TextRange[];
  /** The matches in message.attachment.name, when the file's name matched. */
  fileNameHighlights: TextRange[];
}

/**
 * GET /api/search?q=&room=&before=&limit=&sort=&tz= -> newest first (or by relevance); `next` is the
 * `before` of the next page, null when nothing older matches. No count: it would tell how much a
 * query matches outside what the reader sees, so none is given.
 */
export interface SearchReply {
  results: SearchResult[];
  next: string | null;
}
