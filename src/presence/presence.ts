// Who is online: a user with any open socket. Several tabs count once. Changes are announced in
// batches (about once a second) so a burst of connections costs a few frames, not one per pair
// of users; going offline waits a short grace so a page reload does not flicker.
export interface PresenceOptions {
  /** How long a user must have no socket before they are announced offline. */
  graceMs: number;
  /** How often pending changes are announced. */
  intervalMs: number;
  announce(online: number[], offline: number[]): void;
}

export class Presence {
  private readonly sockets = new Map<number, number>();
  /** Users the world was last told are online. */
  private readonly announced = new Set<number>();
  /** Users whose state may differ from what was announced, with when they last lost their last socket. */
  private readonly pending = new Map<number, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: PresenceOptions) {}

  connected(userId: number): void {
    const count = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, count);
    if (count === 1) this.mark(userId);
  }

  disconnected(userId: number): void {
    const count = (this.sockets.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.sockets.set(userId, count);
      return;
    }
    this.sockets.delete(userId);
    this.mark(userId);
  }

  /** The user's open sockets (on this node: the whole server unless in a cluster). */
  socketsOf(userId: number): number {
    return this.sockets.get(userId) ?? 0;
  }

  /** Online as others see it: connected now, or not yet announced offline. */
  isOnline(userId: number): boolean {
    return this.sockets.has(userId) || this.announced.has(userId);
  }

  /** Server-wide list for the sidebar and the admin dashboard. */
  onlineUserIds(): number[] {
    const ids = new Set(this.sockets.keys());
    for (const id of this.announced) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  /** Announces whatever is due now. */
  flush(now = Date.now()): void {
    this.timer = null;
    const online: number[] = [];
    const offline: number[] = [];
    for (const [userId, since] of this.pending) {
      const connected = this.sockets.has(userId);
      if (connected && !this.announced.has(userId)) {
        this.announced.add(userId);
        online.push(userId);
      } else if (!connected && this.announced.has(userId)) {
        if (now - since < this.options.graceMs) continue;
        this.announced.delete(userId);
        offline.push(userId);
      }
      this.pending.delete(userId);
    }
    if (online.length || offline.length) this.options.announce(online, offline);
    if (this.pending.size) this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private mark(userId: number): void {
    this.pending.set(userId, Date.now());
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flush(), this.options.intervalMs);
    this.timer.unref?.();
  }
}
