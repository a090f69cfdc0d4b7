// The shapes of one tab's chat state and of the events that move it, in a file of their own so that
// state.ts (applyEvent) and state-updates.ts (its building blocks) both depend on them and not on
// each other.
import type { FollowedThread, Member, Message, Me, NotificationSettings, PinInfo, QuotedMessage, Reaction, Room, RoomRequest, ServerEvent, ThreadReadState, UserRef } from "./protocol.ts";

export interface Timeline {
  /** Oldest first, by id; deleted messages are dropped (a deleted root with replies stays as a placeholder). */
  messages: Message[];
  hasOlder: boolean;
  /**
   * Loaded around a message (a permalink, a search result): newer messages exist that are not loaded yet, so live ones
   * are not appended (they would leave a gap) until scrolling down catches up.
   */
  hasNewer?: boolean;
}

/** The replies of one thread loaded in this tab (its panel was opened). */
export interface ThreadTimeline {
  roomId: number;
  /** The root as the thread panel shows it; null until loaded. */
  root: Message | null;
  /** Oldest first. */
  messages: Message[];
  hasOlder: boolean;
}

export interface PendingMessage {
  clientId: string;
  roomId: number;
  body: string;
  createdAt: number;
  status: "sending" | "failed";
  /** Interface text for a failure, shown beside "retry". */
  error?: string;
  /** A reply in this thread (shown in its panel while sending). */
  threadRootId?: number;
  alsoToRoom?: boolean;
  /** A quote-reply: what it answers, for the pending copy's snippet. */
  quote?: QuotedMessage;
  /** Files staged from the composer's tray, sent as this message's attachments, in order. */
  attachments?: string[];
  /** Their names and sizes, for the pending copy. */
  files?: { name: string; size: number }[];
}

export interface TypingEntry {
  user: UserRef;
  until: number;
}

export interface ChatState {
  me: Me | null;
  rooms: Record<number, Room>;
  /** Invitations waiting for my answer (consent, issue 21 §4), by room id. */
  requests: Record<number, RoomRequest>;
  /** Only rooms whose history was opened in this tab. */
  timelines: Record<number, Timeline>;
  pending: PendingMessage[];
  /** Ids of people known to be online. */
  online: Record<number, true>;
  /** Everyone we have a name for: the directory, members, authors. */
  people: Record<number, UserRef>;
  members: Record<number, Member[]>;
  typing: Record<number, TypingEntry[]>;
  changeSeq: number;
  /** Threads whose panel was opened, by root id. */
  threads: Record<number, ThreadTimeline>;
  /** My reading of the threads I follow, by root id (the Threads view and its unread badge). */
  followed: Record<number, ThreadReadState>;
  /** My notification settings (from `ready`, kept current by `notifications.updated`). */
  notifications: NotificationSettings;
}

/** What the tab itself decides (a message typed, a page of history received), as events too. */
export type LocalEvent =
  | { type: "local.pending"; pending: PendingMessage }
  | { type: "local.failed"; clientId: string; error: string }
  | { type: "local.retry"; clientId: string }
  | { type: "local.discard"; clientId: string }
  | { type: "local.history"; roomId: number; messages: Message[]; hasMore: boolean }
  /** Forget a room's timeline (it reloads from its newest page when shown). */
  | { type: "local.dropTimeline"; roomId: number }
  /** One answer of the reconnect sync (chat/sync-loop.ts); `restart` timelines are dropped to reload. */
  | { type: "local.sync"; rooms: { roomId: number; messages: Message[] }[]; changes: Message[]; changeSeq: number; restart?: number[] | "all" }
  | { type: "local.message"; message: Message }
  | { type: "local.room"; room: Room }
  | { type: "local.online"; online: number[] }
  | { type: "local.people"; people: UserRef[] }
  | { type: "local.members"; roomId: number; members: Member[] }
  | { type: "local.typingExpired" }
  | { type: "local.reset" }
  /** A page of a thread (newest first); `root` from the answer. */
  | { type: "local.thread"; roomId: number; rootId: number; root: Message | null; messages: Message[]; hasMore: boolean }
  /** The page around a message (history with `around`, newest first): the room's timeline starts again from it. */
  | { type: "local.around"; roomId: number; messages: Message[]; hasMore: boolean; hasNewer: boolean }
  /** A page after the newest loaded message (scrolling down a timeline loaded around a message). */
  | { type: "local.newer"; roomId: number; messages: Message[]; hasNewer: boolean }
  /** The threads I follow, as GET /api/threads lists them. */
  | { type: "local.followed"; threads: FollowedThread[] }
  /** My own reaction or pin acknowledged (with `mine` marked). */
  | { type: "local.reactions"; roomId: number; messageId: number; reactions: Reaction[] }
  | { type: "local.pinned"; roomId: number; messageId: number; pinned: PinInfo | null };

export type ChatEvent = ServerEvent | LocalEvent;
