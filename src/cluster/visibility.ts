// Visible tabs across the cluster (push/visibility.ts): each node counts its own sockets' visible
// tabs, publishes every change at once on Redis and its whole table every few seconds, and treats a
// node it has not heard from for NODE_SILENT_MS as having none. A lost hint heals within one period;
// until then a push may go to someone whose tab just became visible (or be held back for someone
// whose tab just went hidden, whose open tab then notifies by itself), never anything worse.
import type { Logger } from "../log.ts";
import { describeError } from "../errors.ts";
import { LocalVisibility, type Visibility } from "../push/visibility.ts";
import { NODE_SILENT_MS, SNAPSHOT_MS } from "./presence.ts";
import type { RedisLink } from "./redis-link.ts";

export const VISIBILITY_CHANNEL = "visibility";

interface VisibilityMessage {
  node: string;
  /** Visible sockets per user: changes, or the node's whole table with `all`. */
  counts: [number, number][];
  all?: true;
  /** A node that just (re)joined asks for everyone's table. */
  hello?: true;
}

export class ClusterVisibility implements Visibility {
  private readonly local: LocalVisibility;
  private readonly remote = new Map<string, { counts: Map<number, number>; heardAt: number }>();
  private readonly timer: ReturnType<typeof setInterval>;
  private heardVersion = 0;

  constructor(private readonly options: { nodeId: string; link: RedisLink; logger: Logger }) {
    this.local = new LocalVisibility((userId, count) => this.send({ node: options.nodeId, counts: [[userId, count]] }));
    options.link.on(options.link.name(VISIBILITY_CHANNEL), (message) => this.heard(message));
    this.timer = setInterval(() => this.tick(), SNAPSHOT_MS);
    this.timer.unref?.();
  }

  change(userId: number, delta: 1 | -1): void {
    this.local.change(userId, delta);
  }

  get version(): number {
    return this.local.version + this.heardVersion;
  }

  isVisible(userId: number): boolean {
    if (this.local.isVisible(userId)) return true;
    const now = Date.now();
    for (const view of this.remote.values()) if (now - view.heardAt <= NODE_SILENT_MS && (view.counts.get(userId) ?? 0) > 0) return true;
    return false;
  }

  /** After the link hears again: say what is here, and ask the others. */
  linkRecovered(): void {
    this.send({ node: this.options.nodeId, counts: [...this.local.counts], all: true, hello: true });
  }

  close(): void {
    clearInterval(this.timer);
  }

  private send(message: VisibilityMessage): void {
    void this.options.link.publish(this.options.link.name(VISIBILITY_CHANNEL), JSON.stringify(message));
  }

  private tick(): void {
    this.send({ node: this.options.nodeId, counts: [...this.local.counts], all: true });
    const now = Date.now();
    for (const [node, view] of this.remote)
      if (now - view.heardAt > NODE_SILENT_MS) {
        this.remote.delete(node);
        this.heardVersion++;
      }
  }

  private heard(raw: string): void {
    try {
      const message = JSON.parse(raw) as VisibilityMessage;
      if (message.node === this.options.nodeId) return;
      this.heardVersion++;
      let view = this.remote.get(message.node);
      if (!view || message.all) this.remote.set(message.node, (view = { counts: new Map(), heardAt: 0 }));
      view.heardAt = Date.now();
      for (const [userId, count] of message.counts) {
        if (count > 0) view.counts.set(userId, count);
        else view.counts.delete(userId);
      }
      if (message.hello) this.send({ node: this.options.nodeId, counts: [...this.local.counts], all: true });
    } catch (error) {
      this.options.logger.error("cluster_visibility_failed", { error: describeError(error) });
    }
  }
}
