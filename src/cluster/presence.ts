// Who is online across the cluster. Each node knows its own sockets (presence/presence.ts, with its
// grace period); the nodes tell each other what changed on Redis and repeat their whole list every
// few seconds, so a node that missed a message heals within one period and a node that died (no
// word for NODE_SILENT_MS) has its users go offline. While this node's link is down, what it last
// heard from the others stands: a Redis outage must not make everyone look offline.
import type { Logger } from "../log.ts";
import { describeError } from "../errors.ts";
import { Presence, type PresenceOptions } from "../presence/presence.ts";
import type { RedisLink } from "./redis-link.ts";

export const PRESENCE_CHANNEL = "presence";
export const SNAPSHOT_MS = 5000;
export const NODE_SILENT_MS = 15_000;

interface PresenceMessage {
  node: string;
  /** Open sockets per user on the node: changes as they happen, or the whole table with `all`. */
  sockets?: [number, number][];
  /** The node's whole list (a snapshot), or changes since its previous message. */
  all?: number[];
  online?: number[];
  offline?: number[];
  /** A node that just (re)joined asks the others for their lists. */
  hello?: true;
}

export interface ClusterPresenceOptions extends Omit<PresenceOptions, "announce"> {
  nodeId: string;
  link: RedisLink;
  logger: Logger;
  /** Changes of the cluster-wide list, for this node's sockets. */
  announce(online: number[], offline: number[]): void;
}

/** The same face as Presence (connected, disconnected, isOnline, onlineUserIds, close). */
export class ClusterPresence {
  private readonly local: Presence;
  private readonly nodes = new Map<string, { users: Set<number>; heardAt: number }>();
  private readonly union = new Map<number, number>();
  /** Open sockets per user on each other node: the per-user socket cap holds for the cluster. */
  private readonly remoteSockets = new Map<string, Map<number, number>>();
  private readonly localSockets = new Map<number, number>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly options: ClusterPresenceOptions) {
    this.nodes.set(options.nodeId, { users: new Set(), heardAt: Number.POSITIVE_INFINITY });
    this.local = new Presence({
      graceMs: options.graceMs,
      intervalMs: options.intervalMs,
      announce: (online, offline) => {
        this.changed(options.nodeId, online, offline);
        this.send({ node: options.nodeId, online, offline });
      },
    });
    options.link.on(options.link.name(PRESENCE_CHANNEL), (message) => this.heard(JSON.parse(message) as PresenceMessage));
    this.timer = setInterval(() => this.tick(), SNAPSHOT_MS);
    this.timer.unref?.();
  }

  connected(userId: number): void {
    this.local.connected(userId);
    this.countSocket(userId, 1);
  }

  disconnected(userId: number): void {
    this.local.disconnected(userId);
    this.countSocket(userId, -1);
  }

  /** Sockets the user has open on every node (this one exactly, the others as last heard). */
  socketsOf(userId: number): number {
    let count = this.localSockets.get(userId) ?? 0;
    for (const counts of this.remoteSockets.values()) count += counts.get(userId) ?? 0;
    return count;
  }

  /** Connected anywhere right now, or announced online (still within the grace period). */
  isOnline(userId: number): boolean {
    if (this.local.isOnline(userId) || this.union.has(userId)) return true;
    for (const counts of this.remoteSockets.values()) if ((counts.get(userId) ?? 0) > 0) return true;
    return false;
  }

  /** Announces whatever this node has due now (tests drive the grace period with it). */
  flush(now = Date.now()): void {
    this.local.flush(now);
  }

  private countSocket(userId: number, change: number): void {
    const count = Math.max(0, (this.localSockets.get(userId) ?? 0) + change);
    if (count === 0) this.localSockets.delete(userId);
    else this.localSockets.set(userId, count);
    // At once, not batched: another node's socket cap and member lists need it now.
    this.send({ node: this.options.nodeId, sockets: [[userId, count]] });
  }

  onlineUserIds(): number[] {
    const ids = new Set(this.local.onlineUserIds());
    for (const id of this.union.keys()) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  /** After the link hears again: say who is here, and ask the others. */
  linkRecovered(): void {
    this.send({ node: this.options.nodeId, all: [...this.nodes.get(this.options.nodeId)!.users], sockets: [...this.localSockets], hello: true });
  }

  close(): void {
    clearInterval(this.timer);
    this.local.close();
  }

  private send(message: PresenceMessage): void {
    void this.options.link.publish(this.options.link.name(PRESENCE_CHANNEL), JSON.stringify(message));
  }

  private tick(): void {
    this.send({ node: this.options.nodeId, all: [...this.nodes.get(this.options.nodeId)!.users], sockets: [...this.localSockets] });
    if (this.options.link.state === "down") return;
    const now = Date.now();
    for (const [node, view] of this.nodes) {
      if (node !== this.options.nodeId && now - view.heardAt > NODE_SILENT_MS) {
        this.options.logger.warn("cluster_node_silent", { node });
        this.changed(node, [], [...view.users]);
        this.nodes.delete(node);
        this.remoteSockets.delete(node);
      }
    }
  }

  private heard(message: PresenceMessage): void {
    if (message.node === this.options.nodeId) return;
    try {
      const view = this.nodes.get(message.node) ?? { users: new Set<number>(), heardAt: 0 };
      this.nodes.set(message.node, view);
      view.heardAt = Date.now();
      if (message.sockets) {
        let counts = this.remoteSockets.get(message.node);
        // A full table (with `all`) replaces what was known; otherwise these are changes.
        if (!counts || message.all) this.remoteSockets.set(message.node, (counts = new Map()));
        for (const [userId, count] of message.sockets) {
          if (count > 0) counts.set(userId, count);
          else counts.delete(userId);
        }
      }
      if (message.all) {
        const all = new Set(message.all);
        this.changed(message.node, message.all.filter((id) => !view.users.has(id)), [...view.users].filter((id) => !all.has(id)));
      } else if (message.online || message.offline) {
        this.changed(message.node, message.online ?? [], message.offline ?? []);
      }
      if (message.hello) {
        this.send({ node: this.options.nodeId, all: [...this.nodes.get(this.options.nodeId)!.users], sockets: [...this.localSockets] });
      }
    } catch (error) {
      this.options.logger.error("cluster_presence_failed", { error: describeError(error) });
    }
  }

  /** Applies one node's changes and announces what that changes cluster-wide. */
  private changed(node: string, online: number[], offline: number[]): void {
    const users = this.nodes.get(node)?.users;
    if (!users) return;
    const up: number[] = [];
    const down: number[] = [];
    for (const id of online) {
      if (users.has(id)) continue;
      users.add(id);
      const count = (this.union.get(id) ?? 0) + 1;
      this.union.set(id, count);
      if (count === 1) up.push(id);
    }
    for (const id of offline) {
      if (!users.delete(id)) continue;
      const count = (this.union.get(id) ?? 1) - 1;
      if (count > 0) this.union.set(id, count);
      else {
        this.union.delete(id);
        down.push(id);
      }
    }
    if (up.length || down.length) this.options.announce(up, down);
  }
}
