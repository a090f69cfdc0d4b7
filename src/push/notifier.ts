// Turns committed messages into Web Push, once per message, after the commit and off the request
// path. It hears the announcements this node committed (chat.onCommitted: in a cluster each message
// is handled by exactly one node, the one that stored it), queues the message (bounded), and for each
// one reads what the decision needs about the room's members who have push at all, decides
// (protocol/notify-rule.ts) and hands the pushes to the sender's own queue — 100 people per turn of
// the event loop, so a message to a large room never holds the loop for long.
//
// Who has push at all is kept in memory (subscribed), and of them who has no visible tab (pushable,
// recomputed only when either changes), so a message when nobody has push, or when everyone who has
// it is looking at the chat, costs a lookup, not a query. `subscribed` is a superset: every node
// adds a user when it hears `push.changed` for them (announced with every new subscription, on every
// node, in commit order) and a periodic reload drops users whose subscriptions ended with their
// sessions.
import type { Announcement } from "../announcements.ts";
import type { Store } from "../db/store.ts";
import type { Logger } from "../log.ts";
import { describeError } from "../errors.ts";
import type { Message } from "../protocol.ts";
import { roomQueries, type RoomInfoRow } from "../rooms/room-queries.ts";
import { decideNotification } from "../protocol/notify-rule.ts";
import { notificationSql, type RecipientRow } from "../notifications/notification-queries.ts";
import type { Visibility } from "./visibility.ts";
import type { PushSender } from "./sender.ts";
import { pushSubscriptions } from "./subscriptions.ts";
import { messagePayload } from "./payload.ts";

/** Messages waiting for their decisions; past this, the oldest are not pushed (and counted). */
export const MAX_PENDING_MESSAGES = 5000;
/** Up to this many subscribed users are named in the statement; beyond, the room's members are joined. */
const LISTED = 500;
/**
 * People decided (and their subscriptions read and queued) per turn of the event loop: a message to
 * a room of 1,000 subscribers took ~20 ms in one piece, and every frame waiting to be read waited
 * for it (bench: push).
 */
const DECIDED_PER_TURN = 100;
const RELOAD_MS = 60_000;
/**
 * The list of subscribed people without a visible tab is kept until subscriptions or tabs change, and
 * at most this long (in a cluster, a node gone silent stops counting with time, not with a change).
 */
const PUSHABLE_MAX_AGE_MS = 1000;
/** Pushes of DMs and mentions matter now; others may wait for a device to wake up. */
export const PUSH_TTL_SECONDS = 6 * 3600;

interface Pending {
  message: Message;
  /** Only these users (an edit's newly mentioned), or everyone in the room. */
  only: number[] | null;
}

export class PushNotifier {
  private readonly subscribed = new Set<number>();
  /** Bumped whenever `subscribed` changes (the pushable list below is then recomputed). */
  private subscribedVersion = 0;
  private pushableList: { subscribed: number; visibility: number; at: number; ids: number[] } | null = null;
  private readonly addedDuringReload = new Set<number>();
  private reloading = false;
  private readonly pending: Pending[] = [];
  private running = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  stats = { messages: 0, skipped: 0, dropped: 0, decided: 0 };

  constructor(
    private readonly deps: { store: Store; sender: PushSender; visibility: Visibility; logger: Logger },
  ) {}

  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload(), RELOAD_MS);
    this.timer.unref?.();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.pending.length = 0;
  }

  /** Every batch delivered on this node, whoever committed it: keeps `subscribed` a superset. */
  delivered(batch: readonly (readonly Announcement[])[]): void {
    for (const items of batch) {
      for (const item of items) {
        if (item.kind !== "event" || item.event.type !== "push.changed" || !("user" in item.to)) continue;
        if (!this.subscribed.has(item.to.user)) this.subscribedVersion++;
        this.subscribed.add(item.to.user);
        if (this.reloading) this.addedDuringReload.add(item.to.user);
      }
    }
  }

  /** Batches this node committed: each new message (and each edit's new mentions) once, cluster-wide. */
  committed(batch: readonly (readonly Announcement[])[]): void {
    if (this.subscribed.size === 0) return;
    for (const items of batch) {
      for (const item of items) {
        if (item.kind !== "event") continue;
        if (item.event.type === "message.created") {
          // Everyone with push has a visible tab (a team at work): decided here, in a lookup, with
          // no queue, no turn of the event loop and no query (bench: notify).
          if (!this.mayPush(item.event.message.author.id)) {
            this.stats.messages++;
            this.stats.skipped++;
            continue;
          }
          this.push({ message: item.event.message, only: null });
        }
        else if (item.event.type === "mention.added" && "users" in item.to) this.push({ message: item.event.message, only: item.to.users });
      }
    }
  }

  /** Whether this node knows the user has push (tests wait for it to cross nodes). */
  hasSubscriber(userId: number): boolean {
    return this.subscribed.has(userId);
  }

  /** Resolves once every queued message has been decided (its pushes are then in the sender's queue). */
  async drained(): Promise<void> {
    while (this.running || this.pending.length) await Bun.sleep(1);
  }

  private push(entry: Pending): void {
    if (this.pending.length >= MAX_PENDING_MESSAGES) {
      this.pending.shift();
      this.stats.dropped++;
    }
    this.pending.push(entry);
    if (!this.running) {
      this.running = true;
      // After the current turn: the commit's own replies and frames leave first.
      setImmediate(() => void this.run());
    }
  }

  private async run(): Promise<void> {
    try {
      for (let entry = this.pending.shift(); entry; entry = this.pending.shift()) {
        try {
          await this.decide(entry);
        } catch (error) {
          this.deps.logger.error("push_decision_failed", { messageId: entry.message.id, error: describeError(error) });
        }
        // SQLite answers synchronously: without this, a burst of messages would be decided in one
        // turn of the event loop, and frames waiting to be read (new messages) would wait for all of it.
        await nextTurn();
      }
    } finally {
      this.running = false;
    }
  }

  private async decide({ message, only }: Pending): Promise<void> {
    this.stats.messages++;
    const db = this.deps.store.read;
    // A person with a visible tab is never pushed (the tab notifies): left out before any query, so a
    // message to a room whose people are online costs set lookups only.
    const { visibility } = this.deps;
    const author = message.author.id;
    const candidates = only
      ? only.filter((id) => id !== author && this.subscribed.has(id) && !visibility.isVisible(id))
      : this.pushable().filter((id) => id !== author);
    if (candidates.length === 0) {
      this.stats.skipped++;
      return;
    }
    const room = await roomQueries.roomInfo(db, message.roomId);
    if (!room) return;
    const mentioned = new Set(only ?? message.mentions);
    // At most four payloads per message (mention or not, text or not), whatever the number of devices.
    const payloads = new Map<string, string>();
    // Many subscribed people: the room's members with push, read at once; else the listed ones, a slice at a time.
    const members =
      candidates.length > LISTED
        ? (await db.all(notificationSql.allRecipients, message.roomId, message.author.id)).filter(
            (row) => (only === null || only.includes(row.userId)) && !visibility.isVisible(row.userId),
          )
        : null;
    const total = members ? members.length : candidates.length;
    for (let from = 0; from < total; from += DECIDED_PER_TURN) {
      if (from > 0) await nextTurn();
      const rows = members
        ? members.slice(from, from + DECIDED_PER_TURN)
        : await db.all(notificationSql.recipients, message.roomId, message.author.id, candidates.slice(from, from + DECIDED_PER_TURN));
      await this.decideSome(message, room, rows, mentioned, payloads);
    }
  }

  /** Decides for these recipients, and queues the pushes of those who get one. */
  private async decideSome(
    message: Message,
    room: RoomInfoRow,
    rows: readonly RecipientRow[],
    mentioned: ReadonlySet<number>,
    payloads: Map<string, string>,
  ): Promise<void> {
    const now = Date.now();
    const previews = new Map<number, boolean>();
    for (const row of rows) {
      const decision = decideNotification({
        level: row.level,
        defaultLevel: row.defaultLevel,
        dm: room.kind === "dm",
        mention: mentioned.has(row.userId),
        systemLine: message.event !== undefined,
        mutedUntil: row.mutedUntil,
        dndUntil: row.dndUntil,
        visibleTab: this.deps.visibility.isVisible(row.userId),
        now,
      });
      this.stats.decided++;
      if (decision.push) previews.set(row.userId, row.previews === 1);
    }
    if (previews.size === 0) return;
    for (const target of await pushSubscriptions.forUsers(this.deps.store.read, [...previews.keys()])) {
      const withText = previews.get(target.userId)!;
      const mention = mentioned.has(target.userId);
      const key = `${mention}:${withText}`;
      let payload = payloads.get(key);
      if (payload === undefined) payloads.set(key, (payload = JSON.stringify(messagePayload(message, room, mention, withText))));
      this.deps.sender.enqueue({ target, payload, urgency: room.kind === "dm" || mention ? "high" : "normal", ttl: PUSH_TTL_SECONDS });
    }
  }

  /** Whether anyone but the author has push and no visible tab. */
  private mayPush(authorId: number): boolean {
    const ids = this.pushable();
    return ids.length > 1 || (ids.length === 1 && ids[0] !== authorId);
  }

  /**
   * The subscribed people with no visible tab: a message can only push to them. Recomputed after a
   * change of subscriptions or tabs (or once a second), not per message: per message, going through
   * every subscriber was ~10 % of a node's CPU in a room of 200 where everyone had push (bench: notify).
   */
  private pushable(): number[] {
    const { visibility } = this.deps;
    const now = Date.now();
    const list = this.pushableList;
    if (list && list.subscribed === this.subscribedVersion && list.visibility === visibility.version && now - list.at < PUSHABLE_MAX_AGE_MS) return list.ids;
    const ids: number[] = [];
    for (const id of this.subscribed) if (!visibility.isVisible(id)) ids.push(id);
    this.pushableList = { subscribed: this.subscribedVersion, visibility: visibility.version, at: now, ids };
    return ids;
  }

  private async reload(): Promise<void> {
    if (this.reloading) return;
    this.reloading = true;
    this.addedDuringReload.clear();
    try {
      const users = await pushSubscriptions.subscribedUsers(this.deps.store.read);
      this.subscribed.clear();
      for (const id of users) this.subscribed.add(id);
      for (const id of this.addedDuringReload) this.subscribed.add(id);
      this.subscribedVersion++;
    } catch (error) {
      this.deps.logger.warn("push_reload_failed", { error: describeError(error) });
    } finally {
      this.reloading = false;
    }
  }
}

/** Resolves on the next turn of the event loop, after the frames and timers waiting now. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
