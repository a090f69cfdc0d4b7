// The real-time protocol between the browser and the server, over the one socket at /ws.
// The browser sends requests in the imperative (`message.post`); the server reports facts in the
// past tense (`message.created`), replies to a request with `ack` (same requestId) or `error`.
// This file holds types and plain constants only and imports nothing, so web/ can import it.
// The validating schemas for incoming frames live in src/ws/schemas.ts and are checked against
// these types at compile time.

// ---------------------------------------------------------------------------------------------
// Limits both sides agree on.

/** Longest message body, in UTF-16 code units as JavaScript counts them (String.length). */
export const MAX_MESSAGE_LENGTH = 4000;
export const MAX_ROOM_NAME_LENGTH = 80;
export const MAX_ROOM_TOPIC_LENGTH = 250;
/** Participants of a direct conversation, the opener included. */
export const MAX_DM_PARTICIPANTS = 10;
/**
 * Rooms and DMs one user may be in by their own choice (created, joined, opened, accepted; hidden DMs
 * aside). Others cannot fill it: a stranger's invitation is a request until accepted, and rooms that
 * people one knows add one to directly count against MAX_ROOMS_ADDED_BY_OTHERS instead. Together
 * they bound the room list (and the `ready` frame that carries it).
 */
export const MAX_ROOMS_PER_USER = 500;
export const MAX_ROOMS_ADDED_BY_OTHERS = 500;
export const MAX_HISTORY_LIMIT = 100;
export const DEFAULT_HISTORY_LIMIT = 50;
/** One page of the public room directory (`GET /api/rooms/public`). */
export const MAX_PUBLIC_ROOMS_LIMIT = 100;
export const DEFAULT_PUBLIC_ROOMS_LIMIT = 50;
/** New messages returned per room by one `sync`; `hasMore` says when to sync that room again. */
export const SYNC_PAGE = 200;
/** Files one message may carry (several chosen or dropped together are sent as one message). */
export const MAX_ATTACHMENTS = 10;
/**
 * Invitations waiting for one person's answer (Accept or Decline), and how many of them may come from
 * one inviter: a stranger's invitations are requests, and requests are bounded too (issue 21 §4).
 */
export const MAX_PENDING_REQUESTS = 100;
export const MAX_REQUESTS_FROM_ONE_INVITER = 5;
/** Rooms one `sync` may name. */
export const MAX_SYNC_ROOMS = 500;
/** Unread counts stop counting here; show "99+" at the cap. */
export const UNREAD_CAP = 100;
/** A typing indicator lasts this long unless renewed by another `typing.start`. */
export const TYPING_TTL_MS = 5000;
/** Largest frame the server accepts; bigger frames close the socket with 1009. */
export const MAX_FRAME_BYTES = 16 * 1024;
/**
 * The server closes a socket that has sent nothing (not even a protocol ping) for this long; clients
 * ping well within it (web/src/api/socket.ts derives its interval from it).
 */
export const SOCKET_IDLE_TIMEOUT_SECONDS = 60;

/** Distinct emoji on one message (each person adds each at most once). */
export const MAX_REACTIONS_PER_MESSAGE = 20;
/** Longest emoji accepted in a reaction, in UTF-16 code units (a family with skin tones is ~15). */
export const MAX_EMOJI_LENGTH = 32;
/** Reactors named with each emoji of a message; `count` says how many reacted in all. */
export const REACTION_NAMES_SHOWN = 10;
/** Pinned messages one room may hold. */
export const MAX_PINS_PER_ROOM = 50;
/** Longest excerpt of a quoted message carried by the message that quotes it. */
export const QUOTE_SNIPPET_LENGTH = 200;
/** Threads one `GET /api/threads` page lists. */
export const THREADS_PAGE = 50;

/** Search (GET /api/search): longest query, most terms and filters in one, results per page. */
export const MAX_SEARCH_QUERY_LENGTH = 256;
export const MAX_SEARCH_TERMS = 20;
export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SEARCH_LIMIT = 20;
/** `@room` notifies everyone in a room only up to this many members (and only from its owner or an admin). */
export const MAX_ROOM_MENTION_MEMBERS = 50;
/** Distinct `@name` tokens looked up in one message; further ones stay plain text. */
export const MAX_MENTION_TOKENS = 50;
/** A notification shows at most this many characters of the message (when previews are on). */
export const NOTIFICATION_PREVIEW_LENGTH = 120;
/** `mutedUntil` / `dndUntil` meaning "until I turn it off" (the largest time a JS Date holds). */
export const FOREVER = 8_640_000_000_000_000;
/** Messages per page of the Mentions view. */
export const MENTIONS_PAGE = 50;

/** Close codes the server uses besides the standard 1001 (shutting down) and 1009 (frame too big). */
export const CLOSE_SESSION_ENDED = 4401;

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
  editedAt: number | null;
  deletedAt: number | null;
  /** The first file shared with this message (issue 6); absent for plain text and once deleted. */
  attachment?: Attachment;
  /**
   * Members of the room this text mentions (`@username`, or everyone for `@room`), resolved by the
   * server when the message was stored or edited; [] when none.
   */
  mentions: number[];
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

/** What `ack` carries for each request, besides `type: "ack"` and `requestId`. */
export interface Replies {
  "message.post": { message: Message; duplicate: boolean };
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
export type ErrorCode =
  // Requests and frames.
  | "invalid_json"
  | "invalid_body"
  | "invalid_request"
  | "unknown_type"
  | "not_found"
  | "bad_origin"
  | "websocket_expected"
  | "rate_limited"
  | "server_busy"
  | "shutting_down"
  | "database_unavailable"
  | "internal_error"
  // Accounts and sessions.
  | "unauthorized"
  | "invalid_credentials"
  | "account_disabled"
  | "admin_only"
  | "password_change_required"
  | "wrong_password"
  | "password_too_short"
  | "password_too_long"
  | "password_is_username"
  | "password_too_common"
  | "password_unchanged"
  | "username_taken"
  | "username_confusable"
  | "username_length"
  | "username_characters"
  | "username_invisible_characters"
  | "display_name_length"
  | "display_name_invisible_characters"
  | "registration_closed"
  | "invite_required"
  | "invite_invalid"
  | "invite_expired"
  | "invite_used_up"
  | "invite_not_found"
  | "session_not_found"
  | "last_admin"
  | "cannot_disable_self"
  | "use_account_settings"
  | "too_many_connections"
  // Rooms, DMs and messages.
  | "room_not_found"
  | "message_not_found"
  | "user_not_found"
  | "room_archived"
  | "not_allowed"
  | "cannot_leave_dm"
  | "too_many_participants"
  | "too_many_rooms"
  | "client_id_reused"
  | "invalid_emoji"
  | "too_many_reactions"
  | "too_many_pins"
  // Mentions and notifications.
  | "mention_room_not_allowed"
  | "mention_room_too_large"
  | "push_endpoint_refused"
  // Consent (issue 21 §4): invitations, requests and blocks.
  | "not_accepting"
  | "too_many_invitations"
  | "request_not_found"
  | "cannot_block_self"
  // Several files in one message (issue 19).
  | "too_many_attachments"
  | "upload_not_found"
  // First run (issue 19).
  | "setup_done"
  // Files (HTTP only): upload refusals and downloads.
  | "payload_too_large"
  | "multipart_not_supported"
  | "quota_exceeded"
  | "too_many_uploads"
  | "upload_aborted"
  | "upload_too_slow"
  | "storage_full"
  | "file_not_found"
  | "file_missing"
  // Names (HTTP only): one person may not pass for another or for the system.
  | "username_reserved"
  | "display_name_reserved"
  | "display_name_confusable"
  // Search (HTTP only).
  | "search_query_too_long"
  | "search_too_many_terms"
  | "search_empty_query"
  | "search_invalid_filter"
  | "search_too_broad"
  // Two-factor sign-in, passkeys, re-authentication, reset links, exports (HTTP only).
  | "second_factor_enrolment_required"
  | "second_factor_expired"
  | "invalid_code"
  | "reauth_required"
  | "totp_already_enabled"
  | "totp_not_enabled"
  | "totp_setup_missing"
  | "passkey_not_found"
  | "passkey_failed"
  | "reset_link_invalid"
  | "export_not_found"
  | "export_too_soon"
  // Moderation (issue 17).
  | "report_not_found"
  | "banned_from_room"
  | "user_banned";

/** Every ErrorCode, for the translation catalogue test and the API description. */
export const ERROR_CODES = [
  "invalid_json", "invalid_body", "invalid_request", "unknown_type", "not_found", "bad_origin", "websocket_expected",
  "rate_limited", "server_busy", "shutting_down", "database_unavailable", "internal_error", "unauthorized",
  "invalid_credentials", "account_disabled", "admin_only", "password_change_required", "wrong_password",
  "password_too_short", "password_too_long", "password_is_username", "password_too_common", "password_unchanged",
  "username_taken", "username_confusable", "username_length", "username_characters", "username_invisible_characters",
  "display_name_length", "display_name_invisible_characters", "registration_closed", "invite_required", "invite_invalid",
  "invite_expired", "invite_used_up", "invite_not_found", "session_not_found", "last_admin", "cannot_disable_self",
  "use_account_settings", "too_many_connections", "room_not_found", "message_not_found", "user_not_found", "room_archived",
  "not_allowed", "cannot_leave_dm", "too_many_participants", "too_many_rooms", "client_id_reused", "invalid_emoji", "too_many_reactions", "too_many_pins", "payload_too_large",
  "multipart_not_supported", "quota_exceeded", "too_many_uploads", "upload_aborted", "storage_full", "file_not_found",
  "file_missing", "upload_too_slow", "username_reserved", "display_name_reserved", "display_name_confusable",
  "search_query_too_long", "search_too_many_terms", "search_empty_query", "search_invalid_filter", "search_too_broad",
  "mention_room_not_allowed", "mention_room_too_large", "push_endpoint_refused",
  "second_factor_enrolment_required", "second_factor_expired", "invalid_code", "reauth_required", "totp_already_enabled",
  "totp_not_enabled", "totp_setup_missing", "passkey_not_found", "passkey_failed", "reset_link_invalid", "export_not_found",
  "export_too_soon",
  "report_not_found", "banned_from_room", "user_banned",
  "not_accepting", "too_many_invitations", "request_not_found", "cannot_block_self", "too_many_attachments", "upload_not_found",
  "setup_done",
] as const satisfies readonly ErrorCode[];

// Fails to compile when ERROR_CODES misses a code of the union.
type MissingCodes = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const allCodesListed: [MissingCodes] extends [never] ? true : MissingCodes = true;
void allCodesListed;
