// Cross-node delivery of what commits announce. Every committed batch is already in Postgres's
// outbox with its sequence number (db/postgres/store.ts), numbered in commit order cluster-wide.
// The node that committed it publishes it on Redis; every node applies batches to its own sockets
// strictly in sequence order. Redis only carries hints: a gap (a batch not heard within a few
// milliseconds, a restart, Redis down or deaf) is filled from the outbox by number, so a lost
// publish never loses anything for a connected client; while Redis is down the node polls the
// outbox every second. A node too far behind for the outbox (pruned) makes its clients reconnect
// and resync rather than miss something silently.
import type { Announcement, Announcer } from "../announcements.ts";
import { describeError } from "../errors.ts";
import type { Conn } from "../db/store.ts";
import { eventsAfter, lastEventSeq } from "../db/postgres/outbox-sql.ts";
import type { Logger } from "../log.ts";
import type { RedisLink } from "./redis-link.ts";

export const EVENTS_CHANNEL = "events";
/** How long a batch that arrived early waits for the ones before it before the outbox is read. */
export const GAP_WAIT_MS = 25;
/** While Redis is down (or this node is deaf) the outbox is read this often. */
export const POLL_MS = 1000;
const FETCH_LIMIT = 500;
/**
 * Outbox rows are pruned after OUTBOX_KEEP_MS (cluster/maintenance.ts). A node that has heard
 * nothing for half that long cannot tell a pruned batch from a rolled-back one, so it resyncs.
 */
export const OUTBOX_KEEP_MS = 10 * 60_000;

type Batch = readonly (readonly Announcement[])[];

interface Published {
  seq: number;
  node: string;
  batch: Batch;
}

export interface ClusterBusOptions {
  nodeId: string;
  link: RedisLink;
  db: Conn;
  logger: Logger;
  /** This node's own delivery to its sockets (the hub). */
  local: Announcer;
  /** The node cannot tell what it missed: its sockets must reconnect and resync (1012). */
  resyncAll: () => void;
}

export class ClusterBus implements Announcer {
  private lastSeq = 0;
  private readonly early = new Map<number, Batch>();
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private fetching: Promise<void> | null = null;
  /** When this node last heard a batch or read the outbox. */
  private contactAt = Date.now();

  constructor(private readonly options: ClusterBusOptions) {
    options.link.on(options.link.name(EVENTS_CHANNEL), (message) => this.heard(message));
  }

  /** Starts from the outbox's end: earlier batches were delivered before this node existed. */
  async start(): Promise<void> {
    this.lastSeq = (await this.options.db.get(lastEventSeq))!.seq;
    this.pollTimer = setInterval(() => {
      if (this.options.link.state === "down") void this.catchUp();
    }, POLL_MS);
    this.pollTimer.unref?.();
  }

  /** After the link hears again: whatever was published meanwhile is read back now. */
  linkRecovered(): void {
    void this.catchUp();
  }

  close(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
  }

  /** A batch this node committed (the Announcer contract): to the other nodes, then here in order. */
  deliver(batch: Batch, seq: number | null, json?: string): void {
    if (seq === null) {
      // Not in the outbox (nothing to number): local only.
      this.options.local.deliver(batch, null);
      return;
    }
    void this.options.link.publish(this.options.link.name(EVENTS_CHANNEL), publishedJson(seq, this.options.nodeId, json ?? JSON.stringify(batch)));
    this.accept(seq, batch, true);
  }

  private heard(message: string): void {
    const published = JSON.parse(message) as Published;
    // Our own batches were accepted when they committed.
    if (published.node === this.options.nodeId) return;
    this.contactAt = Date.now();
    this.accept(published.seq, published.batch, false);
  }

  private accept(seq: number, batch: Batch, mine: boolean): void {
    if (seq <= this.lastSeq || this.early.has(seq)) return;
    this.early.set(seq, mine ? batch : withoutLogs(batch));
    this.drain();
    if (this.early.size > 0 && !this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        void this.catchUp();
      }, GAP_WAIT_MS);
      this.gapTimer.unref?.();
    }
  }

  /** Applies every batch that follows the last one applied, in order. */
  private drain(): void {
    for (let next = this.early.get(this.lastSeq + 1); next; next = this.early.get(this.lastSeq + 1)) {
      this.early.delete(this.lastSeq + 1);
      this.lastSeq++;
      try {
        this.options.local.deliver(next, this.lastSeq);
      } catch (error) {
        this.options.logger.error("cluster_delivery_failed", { seq: this.lastSeq, error: describeError(error) });
      }
    }
  }

  /** Reads what follows the last applied batch from the outbox; one reader at a time. */
  catchUp(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    try {
      for (;;) {
        const fetched = await this.options.db.all(eventsAfter, this.lastSeq, FETCH_LIMIT);
        const silentFor = Date.now() - this.contactAt;
        this.contactAt = Date.now();
        if (fetched.length === 0) break;
        // Batches heard over Redis while the read was on its way were applied meanwhile: without
        // this, the first row read (now at or below the last applied) looked like a gap, the mark
        // went back to it, and those batches were delivered a second time (the cluster bench saw it).
        const rows = fetched.filter((row) => row.seq > this.lastSeq);
        if (rows.length > 0 && rows[0]!.seq !== this.lastSeq + 1) {
          // Every batch numbered below a committed one has committed or rolled back for good (the
          // numbers are drawn under the write lock): a missing number is a rollback, unless this node
          // was silent long enough for pruning to have taken it — then nobody can say what it held.
          if (silentFor > OUTBOX_KEEP_MS / 2) {
            this.options.logger.warn("cluster_gap_unrecoverable", { from: this.lastSeq + 1, to: rows[0]!.seq - 1 });
            this.options.resyncAll();
          }
          for (const seq of this.early.keys()) if (seq < rows[0]!.seq) this.early.delete(seq);
          this.lastSeq = rows[0]!.seq - 1;
        }
        for (const row of rows) this.accept(row.seq, withoutLogs(JSON.parse(row.body) as Batch), false);
        this.drain();
        if (fetched.length < FETCH_LIMIT) break;
      }
    } catch (error) {
      // Postgres unreachable too: the next poll or gap tries again.
      this.options.logger.warn("cluster_catch_up_failed", { error: describeError(error) });
    }
  }
}

/**
 * JSON.stringify of a Published, around the batch's JSON as the outbox already stored it: a batch
 * of a thousand posts is serialised once per commit, not twice (it was ~5 % of a node's CPU).
 */
export function publishedJson(seq: number, node: string, batchJson: string): string {
  return `{"seq":${seq},"node":${JSON.stringify(node)},"batch":${batchJson}}`;
}

/** Only the node that committed a batch writes its log lines. */
function withoutLogs(batch: Batch): Batch {
  return batch.map((items) => items.filter((item) => item.kind !== "log"));
}
