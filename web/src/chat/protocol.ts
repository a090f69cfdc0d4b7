// The socket protocol's types come from the server's src/protocol.ts, imported as types only so no
// server code is bundled. The few constants the client needs are restated here, and typed as the
// server's literal values: if the server changes one, this file stops compiling.
import type * as Server from "../../../src/protocol.ts";

export type {
  AckEvent,
  Attachment,
  ClientRequest,
  ErrorEvent,
  FollowedThread,
  HistoryPage,
  Me,
  Member,
  Message,
  PinInfo,
  PinPolicy,
  NotificationLevel,
  NotificationSettings,
  RoomNotify,
  PublicRoom,
  QuotedMessage,
  Reaction,
  ReadyEvent,
  Replies,
  RequestType,
  Room,
  RoomEventLine,
  SearchResult,
  RoomRequest,
  ServerEvent,
  ThreadReadState,
  ThreadSummary,
  TextRange,
  UserRef,
} from "../../../src/protocol.ts";

export const MAX_MESSAGE_LENGTH: typeof Server.MAX_MESSAGE_LENGTH = 4000;
export const MAX_ROOM_NAME_LENGTH: typeof Server.MAX_ROOM_NAME_LENGTH = 80;
export const MAX_ROOM_TOPIC_LENGTH: typeof Server.MAX_ROOM_TOPIC_LENGTH = 250;
export const MAX_DM_PARTICIPANTS: typeof Server.MAX_DM_PARTICIPANTS = 10;
export const MAX_ATTACHMENTS: typeof Server.MAX_ATTACHMENTS = 10;
export const DEFAULT_HISTORY_LIMIT: typeof Server.DEFAULT_HISTORY_LIMIT = 50;
export const UNREAD_CAP: typeof Server.UNREAD_CAP = 100;
export const TYPING_TTL_MS: typeof Server.TYPING_TTL_MS = 5000;
export const CLOSE_SESSION_ENDED: typeof Server.CLOSE_SESSION_ENDED = 4401;
export const SOCKET_IDLE_TIMEOUT_SECONDS: typeof Server.SOCKET_IDLE_TIMEOUT_SECONDS = 60;
export const MAX_REACTIONS_PER_MESSAGE: typeof Server.MAX_REACTIONS_PER_MESSAGE = 20;
export const MAX_EMOJI_LENGTH: typeof Server.MAX_EMOJI_LENGTH = 32;
export const MAX_PINS_PER_ROOM: typeof Server.MAX_PINS_PER_ROOM = 50;
export const NOTIFICATION_PREVIEW_LENGTH: typeof Server.NOTIFICATION_PREVIEW_LENGTH = 120;
export const FOREVER: typeof Server.FOREVER = 8_640_000_000_000_000;
export const MAX_ROOM_MENTION_MEMBERS: typeof Server.MAX_ROOM_MENTION_MEMBERS = 50;
