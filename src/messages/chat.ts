// Assembles the chat: rooms, DMs, messages, presence, typing and the socket registry they announce
// through. Built once per app (services.chat); HTTP routes and socket handlers both call into it, so
// every event has one source.
import type { Store } from "../db/store.ts";
import type { Logger } from "../log.ts";
import { describeError } from "../errors.ts";
import { MemoryLimiter, type SharedLimiter } from "../limits/shared-limiter.ts";
import { TYPING_TTL_MS, type TypingEvent, type UserRef } from "../protocol.ts";
import { Presence } from "../presence/presence.ts";
import { Typing } from "../presence/typing.ts";
import { createDms } from "../rooms/dms.ts";
import { createRooms } from "../rooms/rooms.ts";
import { createRequests } from "../rooms/requests.ts";
import { createAdminRooms } from "../rooms/admin-rooms.ts";
import { createUserDirectory } from "../rooms/user-directory.ts";
import { Hub } from "../ws/broadcast.ts";
import { ClusterBus } from "../cluster/bus.ts";
import type { ClusterNode } from "../cluster/node.ts";
import { ClusterPresence } from "../cluster/presence.ts";
import { clusterTyping } from "../cluster/typing.ts";
import { COST_BUDGET, DEFAULT_CHAT_LIMITS, type ChatLimits } from "./chat-limits.ts";
import type { Announcement, Announcer } from "../announcements.ts";
import { LocalVisibility, type Visibility } from "../push/visibility.ts";
import { ClusterVisibility } from "../cluster/visibility.ts";
import { createMessages } from "./messages.ts";
import type { Metrics } from "../metrics/metrics.ts";

export interface ChatOptions {
  limits?: Partial<ChatLimits>;
  presenceGraceMs?: number;
  presenceIntervalMs?: number;
  typingTtlMs?: number;
  /** Shared by every node of a cluster; in memory on one node. */
  limiter?: SharedLimiter;
  /** In a cluster: deliveries, presence and typing cross nodes through it. */
  cluster?: ClusterNode | null;
}

export function createChat(deps: { store: Store; logger: Logger; metrics?: Metrics }, options: ChatOptions = {}) {
  const { store, logger, metrics } = deps;
  const limits: ChatLimits = { ...DEFAULT_CHAT_LIMITS, ...options.limits };
  const limiter = options.limiter ?? new MemoryLimiter();
  const hub = new Hub(logger);
  if (metrics) {
    hub.countWith({
      framesSent: (count) => metrics.framesOut.inc(count),
      messagesDelivered: (count) => metrics.deliveries.inc(count),
    });
  }
  const cluster = options.cluster ?? null;
  // Listeners beside the sockets (push/notifier.ts): `delivered` hears every batch this node applies,
  // whoever committed it, in order; `committed` hears only the batches this node committed, so work
  // done once per fact (a push per message) is done once in the whole cluster.
  type Batch = readonly (readonly Announcement[])[];
  const deliveredListeners: ((batch: Batch) => void)[] = [];
  const committedListeners: ((batch: Batch) => void)[] = [];
  const tell = (listeners: ((batch: Batch) => void)[], batch: Batch) => {
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch (error) {
        logger.error("announcement_listener_failed", { error: describeError(error) });
      }
    }
  };
  const local: Announcer = {
    deliver(batch, seq) {
      hub.deliver(batch);
      tell(deliveredListeners, batch);
    },
  };
  const bus = cluster
    ? new ClusterBus({
        nodeId: cluster.nodeId,
        link: cluster.link,
        db: store.read,
        logger,
        local,
        // Clients reconnect (1012: try again) and resync from the database.
        resyncAll: () => hub.closeAll(1012, "resync"),
      })
    : null;
  const head = bus ?? local;
  store.setAnnouncer({
    deliver(batch, seq, json) {
      head.deliver(batch, seq, json);
      tell(committedListeners, batch);
    },
  });
  // Replies to one socket from one batch leave in one write.
  store.setSettleWrapper((settle) => hub.batch(settle));

  const presenceOptions = {
    graceMs: options.presenceGraceMs ?? 2000,
    intervalMs: options.presenceIntervalMs ?? 1000,
    // One server-wide frame per batch (topics.presence), whoever shares a room with whom.
    announce(online: number[], offline: number[]) {
      try {
        hub.toEveryone({ type: "presence.changed", online, offline });
      } catch (error) {
        // This runs on a timer, where an exception would stop the server; a lost batch only delays
        // a dot's colour until the next change or the client's slow presence poll.
        logger.error("presence_announce_failed", { error: describeError(error) });
      }
    },
  };
  const presence = cluster ? new ClusterPresence({ ...presenceOptions, nodeId: cluster.nodeId, link: cluster.link, logger }) : new Presence(presenceOptions);
  // Which users have a visible tab (no Web Push for them meanwhile), across nodes in a cluster.
  const visibility: Visibility = cluster ? new ClusterVisibility({ nodeId: cluster.nodeId, link: cluster.link, logger }) : new LocalVisibility();
  cluster?.onLinkState((state) => {
    if (state !== "up") return;
    bus?.linkRecovered();
    if (presence instanceof ClusterPresence) presence.linkRecovered();
    if (visibility instanceof ClusterVisibility) visibility.linkRecovered();
  });

  const sendTyping = cluster ? clusterTyping(cluster.link, cluster.nodeId, (event) => hub.toRoom(event.roomId, event)) : (event: TypingEvent) => hub.toRoom(event.roomId, event);
  const typing = new Typing(options.typingTtlMs ?? TYPING_TTL_MS, (roomId, user, isTyping) => sendTyping({ type: "typing", roomId, user, typing: isTyping }));

  const isOnline = (userId: number) => presence.isOnline(userId);
  const rooms = createRooms({ store, isOnline });
  const dms = createDms({ store });
  const messages = createMessages({ store, metrics, typingStopped: (roomId: number, user: UserRef) => typing.stop(roomId, user) });
  const directory = createUserDirectory(store.read);
  /** Seconds to wait (0 when allowed) after taking `cost` from the user's bucket of `family`. */
  const take = async (family: "userMessages" | "userRoomChanges" | "userActions" | "cost", userId: number, cost = 1): Promise<number> => {
    const options = family === "cost" ? COST_BUDGET : limits[family];
    return (await limiter.take(family, options, String(userId), cost)).retryAfterSeconds;
  };

  let stopped = false;
  const shutdownListeners: (() => void)[] = [];
  return {
    store,
    cluster,
    /** Before serving: the cluster bus learns where the outbox ends. */
    async start(): Promise<void> {
      await bus?.start();
    },
    limits,
    hub,
    rooms,
    dms,
    /** Invitations waiting for an answer, and blocks (issue 21 §4). */
    requests: createRequests({ store }),
    /** An admin's view of one person's rooms, and their removal in bulk. */
    adminRooms: createAdminRooms({ store }),
    messages,
    directory,
    presence,
    typing,
    visibility,
    /** Hears every committed batch this node delivers (in order, whoever committed it). */
    onDelivered: (listener: (batch: Batch) => void) => void deliveredListeners.push(listener),
    /** Hears the batches this node committed, after they were delivered. */
    onCommitted: (listener: (batch: Batch) => void) => void committedListeners.push(listener),
    /** Runs when the chat shuts down (before the store closes). */
    onShutdown: (listener: () => void) => void shutdownListeners.push(listener),
    /** The per-user message bucket, shared by the socket and HTTP. Returns seconds to wait, 0 when allowed. */
    takeUserMessage: (userId: number) => take("userMessages", userId),
    /** The per-user bucket for creating rooms, opening DMs and inviting. Seconds to wait, 0 when allowed. */
    takeRoomChange: (userId: number) => take("userRoomChanges", userId),
    /**
     * The per-user bucket for other state-changing requests (join, leave, room changes, member
     * removal, read marks over HTTP, display names), shared by the socket and HTTP. Seconds to wait, 0 when allowed.
     */
    takeAction: (userId: number) => take("userActions", userId),
    /**
     * The per-user budget of read work (sync, history, later search), priced by what a request can
     * cost (message-reads.ts): however many sockets and nodes one account uses, it cannot take more
     * than its share of the server's time. Seconds to wait, 0 when allowed.
     */
    takeCost: (userId: number, cost: number) => take("cost", userId, cost),
    get stopped() {
      return stopped;
    },
    /** Stops timers; the store is flushed and closed by its owner. */
    shutdown(): void {
      if (stopped) return;
      stopped = true;
      bus?.close();
      presence.close();
      visibility.close();
      for (const listener of shutdownListeners) listener();
      typing.close();
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
