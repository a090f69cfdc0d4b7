// Part of the real-time protocol (src/protocol.ts re-exports every part). Limits both sides agree
// on: lengths, counts, close codes. Types and plain constants only, importing nothing but the other
// parts, so web/ can import it.

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
