// Topic names and the registry of open sockets, which delivers what committed writes announce
// (announcements.ts). Every event is serialised once and published to a topic; Bun delivers the
// same bytes to every subscriber. A socket is subscribed to a room's topic only after a membership
// check (at open, or when a `joined` announcement arrives after the commit) and unsubscribed when
// that membership or its session ends.
import type { Server, ServerWebSocket } from "bun";
import type { Announcement, Announcer, Audience } from "../announcements.ts";
import type { Logger } from "../log.ts";
import type { ServerEvent } from "../protocol.ts";
import { encode } from "./frames.ts";
import { CLOSE_SESSION_ENDED } from "../protocol.ts";

export const topics = {
  /** Everything said and done in a room or DM: messages, typing, members. */
  room: (roomId: number) => `room:${roomId}`,
  /** One user's own devices: read positions, rooms added and removed. */
  user: (userId: number) => `user:${userId}`,
  /**
   * Who came online or went offline, server-wide: every authenticated socket subscribes at open.
   * GET /api/presence already shows any logged-in user the server-wide list, so announcing its
   * changes reveals nothing new, and the sidebar's online list stays live without polling.
   */
  presence: "presence",
} as const;

/** What the registry needs to know about a connection. */
export interface SocketIdentity {
  readonly userId: number;
  readonly sessionId: string;
  /**
   * True while the connection reads its rooms before `ready`: it is not subscribed yet, and a
   * membership or account change for its user in that window makes it read again (socket.ts).
   */
  starting: boolean;
  changedWhileStarting: boolean;
  /** Re-reads the session and account; closes the socket when it may no longer be used. */
  recheck(socket: ChatSocket): Promise<boolean>;
  /** The connection's frame admission chain (handlers.ts): a later frame waits for what is on it. */
  admitted: Promise<void>;
}

export type ChatSocket<T extends SocketIdentity = SocketIdentity> = ServerWebSocket<T>;

/** What the hub counts for metrics (metrics/metrics.ts): frames out and new-message deliveries. */
export interface HubCounters {
  framesSent(count: number): void;
  messagesDelivered(count: number): void;
}

export class Hub implements Announcer {
  /**
   * Bun keeps subscriptions per server. Swapping in a renewed certificate (tls/https-backends.ts) starts
   * a new server while sockets on the old one stay open, so a frame goes to every server that has had
   * a socket. That is one more server per renewal (every ~60 days); publishing on one that has stopped
   * costs nothing, so none is ever dropped (dropping one between an upgrade and its open would lose frames).
   */
  private readonly servers = new Set<Server<unknown>>();
  private readonly byUser = new Map<number, Set<ChatSocket>>();
  private readonly bySession = new Map<string, Set<ChatSocket>>();
  /** While a batch settles: frames for single sockets, sent corked at the end. */
  private outboxes: Map<ChatSocket, string[]> | null = null;
  private sockets = 0;
  private counters: HubCounters | null = null;

  constructor(private readonly logger: Logger) {}

  countWith(counters: HubCounters): void {
    this.counters = counters;
  }

  /** Open sockets registered here. */
  get socketTotal(): number {
    return this.sockets;
  }

  /** The server is known once the first upgrade arrives; before that nobody can be listening. */
  attach(server: Server<unknown>): void {
    this.servers.add(server);
  }

  add(socket: ChatSocket): void {
    const { userId, sessionId } = socket.data;
    if (addTo(this.byUser, userId, socket)) this.sockets++;
    addTo(this.bySession, sessionId, socket);
  }

  /** Returns how many sockets the user still has open. */
  remove(socket: ChatSocket): number {
    const { userId, sessionId } = socket.data;
    removeFrom(this.bySession, sessionId, socket);
    const before = this.byUser.get(userId)?.size ?? 0;
    const left = removeFrom(this.byUser, userId, socket);
    if (left < before) this.sockets--;
    return left;
  }

  /** The user's open sockets (a copy: callers may close them). */
  socketsOf(userId: number): ChatSocket[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  socketCount(userId: number): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  get connectedUsers(): number {
    return this.byUser.size;
  }

  /** Session ids with an open socket here (for the periodic revocation check). */
  sessionIds(): string[] {
    return [...this.bySession.keys()];
  }

  /** Delivers a committed batch, in order (the Announcer contract). */
  deliver(batch: readonly (readonly Announcement[])[]): void {
    for (const items of batch) for (const item of items) this.apply(item);
  }

  apply(item: Announcement): void {
    switch (item.kind) {
      case "event":
        this.send(item.to, item.event);
        return;
      case "joined":
        this.subscribe(item.userId, item.roomId);
        return;
      case "left":
        this.unsubscribe(item.userId, item.roomId);
        return;
      case "sessions.ended":
        // The reason ("account_disabled", "password_reset"…) rides in the close frame, so an open tab
        // can say why it was logged out (web/src/api/socket.ts).
        this.closeSessions(item.sessionIds, CLOSE_SESSION_ENDED, closeReason(item.reason));
        return;
      case "user.changed":
        for (const socket of this.socketsOf(item.userId)) {
          if (socket.data.starting) socket.data.changedWhileStarting = true;
          // On the admission chain: a frame that arrives after the change (e.g. once the HTTP request
          // that made it has answered) acts with the re-read account, however long the read takes.
          else socket.data.admitted = socket.data.admitted.then(() => socket.data.recheck(socket).then(() => {}));
        }
        return;
      case "log":
        if (item.level === "warn") this.logger.warn(item.event, item.fields);
        else this.logger.info(item.event, item.fields);
        return;
    }
  }

  send(to: Audience, event: ServerEvent): void {
    if ("room" in to) {
      const topic = topics.room(to.room);
      // Not serialised for nobody: in a cluster, most rooms of a batch heard from another node may
      // have no member connected here (a hash lookup against a JSON.stringify of the message).
      if (this.subscribed(topic)) this.publish(topic, encode(event), event.type === "message.created");
    } else if ("user" in to) this.toUser(to.user, event);
    else if ("users" in to) this.toUsers(to.users, event);
    else if (this.byUser.size > 0) this.publish(topics.presence, encode(event));
  }

  toRoom(roomId: number, event: ServerEvent): void {
    this.publish(topics.room(roomId), encode(event));
  }

  /** Every authenticated socket (see topics.presence): one frame, whoever is connected. */
  toEveryone(event: ServerEvent): void {
    if (this.byUser.size > 0) this.publish(topics.presence, encode(event));
  }

  toUser(userId: number, event: ServerEvent): void {
    const sockets = this.byUser.get(userId);
    if (!sockets) return;
    for (const socket of sockets) if (socket.data.starting) socket.data.changedWhileStarting = true;
    this.publish(topics.user(userId), encode(event));
  }

  toUsers(userIds: Iterable<number>, event: ServerEvent): void {
    let frame: string | null = null;
    for (const userId of userIds) {
      if (!this.byUser.has(userId)) continue;
      frame ??= encode(event);
      this.publish(topics.user(userId), frame);
    }
  }

  /** Sends to one socket; inside batch(), all frames for a socket go out in one corked write. */
  sendTo(socket: ChatSocket, event: ServerEvent): void {
    const frame = encode(event);
    this.counters?.framesSent(1);
    if (!this.outboxes) {
      socket.send(frame);
      return;
    }
    const box = this.outboxes.get(socket);
    if (box) box.push(frame);
    else this.outboxes.set(socket, [frame]);
  }

  batch(run: () => void): void {
    if (this.outboxes) return run();
    this.outboxes = new Map();
    try {
      run();
    } finally {
      const outboxes = this.outboxes;
      this.outboxes = null;
      for (const [socket, frames] of outboxes) {
        if (frames.length === 1) socket.send(frames[0]!);
        else
          socket.cork(() => {
            for (const frame of frames) socket.send(frame);
          });
      }
    }
  }

  private subscribed(topic: string): boolean {
    for (const server of this.servers) if (server.subscriberCount(topic) > 0) return true;
    return false;
  }

  private publish(topic: string, frame: string, message = false): void {
    for (const server of this.servers) {
      // Counted before publishing: one hash lookup, and only when metrics are on.
      if (this.counters) {
        const recipients = server.subscriberCount(topic);
        this.counters.framesSent(recipients);
        if (message) this.counters.messagesDelivered(recipients);
      }
      server.publish(topic, frame);
    }
  }

  /** After a membership commits: the user's open sockets start receiving the room. */
  subscribe(userId: number, roomId: number): void {
    const topic = topics.room(roomId);
    for (const socket of this.byUser.get(userId) ?? []) {
      if (socket.data.starting) socket.data.changedWhileStarting = true;
      else socket.subscribe(topic);
    }
  }

  /** After a membership ends: nothing more from the room reaches any of the user's sockets. */
  unsubscribe(userId: number, roomId: number): void {
    const topic = topics.room(roomId);
    for (const socket of this.byUser.get(userId) ?? []) {
      if (socket.data.starting) socket.data.changedWhileStarting = true;
      socket.unsubscribe(topic);
    }
  }

  closeSessions(sessionIds: readonly string[], code: number, reason: string): void {
    for (const id of sessionIds) {
      // Copy: close() runs the close handler, which edits the set.
      for (const socket of [...(this.bySession.get(id) ?? [])]) {
        // Unsubscribe at once: even a frame published before the close completes must not reach it.
        for (const topic of socket.subscriptions) socket.unsubscribe(topic);
        socket.close(code, reason);
      }
    }
  }

  closeAll(code: number, reason: string): void {
    for (const sockets of [...this.byUser.values()]) {
      for (const socket of [...sockets]) socket.close(code, reason);
    }
  }
}

/** Ends a tab should explain in its own words (anything else is "session ended"). */
const TOLD_REASONS = new Set(["account_disabled", "account_deleted", "password_reset"]);

function closeReason(reason: string): string {
  return TOLD_REASONS.has(reason) ? reason : "session ended";
}

/** Returns whether the socket was not in the set yet. */
function addTo<K>(map: Map<K, Set<ChatSocket>>, key: K, socket: ChatSocket): boolean {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  const size = set.size;
  set.add(socket);
  return set.size > size;
}

function removeFrom<K>(map: Map<K, Set<ChatSocket>>, key: K, socket: ChatSocket): number {
  const set = map.get(key);
  if (!set) return 0;
  set.delete(socket);
  if (set.size === 0) map.delete(key);
  return set.size;
}
