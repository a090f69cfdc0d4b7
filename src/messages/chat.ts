// Assembles the chat: rooms, DMs, messages, presence, typing and the socket registry they announce
// through. Built once per app (services.chat); HTTP routes and socket handlers both call into it, so
// every event has one source.
import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
import { KeyedLimiter } from "../limits/token-bucket.ts";
import { TYPING_TTL_MS } from "../protocol.ts";
import { Presence } from "../presence/presence.ts";
import { Typing } from "../presence/typing.ts";
import { createDms } from "../rooms/dms.ts";
import { createRoomQueries } from "../rooms/room-queries.ts";
import { createRooms } from "../rooms/rooms.ts";
import { createUserDirectory } from "../rooms/user-directory.ts";
import { Hub } from "../ws/broadcast.ts";
import { DEFAULT_CHAT_LIMITS, type ChatLimits } from "./chat-limits.ts";
import { createMessages } from "./messages.ts";
import { WriteQueue } from "./write-queue.ts";

export interface ChatOptions {
  limits?: Partial<ChatLimits>;
  presenceGraceMs?: number;
  presenceIntervalMs?: number;
  typingTtlMs?: number;
}

export function createChat(deps: { db: Database; logger: Logger }, options: ChatOptions = {}) {
  const { db, logger } = deps;
  const limits: ChatLimits = { ...DEFAULT_CHAT_LIMITS, ...options.limits };
  const hub = new Hub();
  const roomQueries = createRoomQueries(db);
  const queue = new WriteQueue(db, {
    onAnnounceError: (error) =>
      logger.error("announce_failed", { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    // Replies to one socket from one batch leave in one write.
    aroundSettle: (settle) => hub.batch(settle),
  });

  const presence = new Presence({
    graceMs: options.presenceGraceMs ?? 2000,
    intervalMs: options.presenceIntervalMs ?? 1000,
    // One server-wide frame per batch (topics.presence), whoever shares a room with whom.
    announce(online, offline) {
      try {
        hub.toEveryone({ type: "presence.changed", online, offline });
      } catch (error) {
        // This runs on a timer, where an exception would stop the server; a lost batch only delays
        // a dot's colour until the next change or the client's slow presence poll.
        logger.error("presence_announce_failed", { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
    },
  });

  const typing = new Typing(options.typingTtlMs ?? TYPING_TTL_MS, (roomId, user, isTyping) =>
    hub.toRoom(roomId, { type: "typing", roomId, user, typing: isTyping }),
  );

  const isOnline = (userId: number) => presence.isOnline(userId);
  const rooms = createRooms({ db, queries: roomQueries, hub, isOnline });
  const dms = createDms({ db, queries: roomQueries, hub });
  const messages = createMessages({ db, rooms: roomQueries, queue, hub, typingStopped: (roomId, user) => typing.stop(roomId, user) });
  const directory = createUserDirectory(db);
  const userMessages = new KeyedLimiter({ ...limits.userMessages, maxKeys: 100_000 });
  const userRoomChanges = new KeyedLimiter({ ...limits.userRoomChanges, maxKeys: 100_000 });
  const userActions = new KeyedLimiter({ ...limits.userActions, maxKeys: 100_000 });

  let stopped = false;
  return {
    limits,
    hub,
    roomQueries,
    rooms,
    dms,
    messages,
    directory,
    presence,
    typing,
    queue,
    /** The per-user message bucket, shared by the socket and HTTP. Returns seconds to wait, 0 when allowed. */
    takeUserMessage(userId: number): number {
      return userMessages.take(String(userId)).retryAfterSeconds;
    },
    /** The per-user bucket for creating rooms, opening DMs and inviting. Seconds to wait, 0 when allowed. */
    takeRoomChange(userId: number): number {
      return userRoomChanges.take(String(userId)).retryAfterSeconds;
    },
    /**
     * The per-user bucket for other state-changing requests (join, leave, room changes, member
     * removal, read marks over HTTP, display names), shared by the socket and HTTP. Seconds to wait, 0 when allowed.
     */
    takeAction(userId: number): number {
      return userActions.take(String(userId)).retryAfterSeconds;
    },
    get stopped() {
      return stopped;
    },
    /** Writes what is queued and stops timers; the database is closed right after. */
    shutdown(): void {
      if (stopped) return;
      stopped = true;
      queue.close();
      presence.close();
      typing.close();
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
