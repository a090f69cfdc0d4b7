// The shapes of one tab's chat state and of the events that move it, in a file of their own so that
// state.ts (applyEvent) and state-updates.ts (its building blocks) both depend on them and not on
// each other.
import type { Member, Message, Me, NotificationSettings, Room, RoomRequest, ServerEvent, UserRef } from "./protocol.ts";

export interface Timeline {
  /** Oldest first, by id; deleted messages are dropped. */
  messages: Message[];
  hasOlder: boolean;
  /**
   * Opened around an older message (a search result): newer messages exist that are not loaded yet,
   * so new ones are not appended (the timeline would skip the gap) until loading newer pages reaches
   * the present.
   */
  hasNewer?: boolean;
}

export interface PendingMessage {
  clientId: string;
  roomId: number;
  body: string;
  createdAt: number;
  status: "sending" | "failed";
  /** Interface text for a failure, shown beside "retry". */
  error?: string;
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
  /** A page around one message (GET /api/rooms/:id/messages?around=), oldest first: replaces the timeline. */
  | { type: "local.window"; roomId: number; messages: Message[]; hasOlder: boolean; hasNewer: boolean }
  /** Messages after the last one of a window timeline, oldest first; hasMore: the present is not reached yet. */
  | { type: "local.newer"; roomId: number; messages: Message[]; hasMore: boolean }
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
  | { type: "local.reset" };

export type ChatEvent = ServerEvent | LocalEvent;
