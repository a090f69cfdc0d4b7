// Which users have a visible tab right now: the client reports its visibility over the socket
// (`client.visibility`), and while any of a user's tabs is visible no Web Push is sent to them (the
// tab notifies by itself). On one node the sockets are all here; in a cluster each node counts its
// own and the nodes tell each other (cluster/visibility.ts), so the answer holds across nodes.
export interface Visibility {
  /** A socket of `userId` became visible (+1) or stopped being visible (-1: hidden, or closed while visible). */
  change(userId: number, delta: 1 | -1): void;
  isVisible(userId: number): boolean;
  /**
   * Grows with every change of what isVisible answers, except a silent node's tabs ceasing to count
   * with time (cluster): lets a reader keep a derived list until it changes (push/notifier.ts).
   */
  readonly version: number;
  close(): void;
}

/** Visible sockets per user on this node. */
export class LocalVisibility implements Visibility {
  readonly counts = new Map<number, number>();
  version = 0;

  constructor(private readonly onChange?: (userId: number, count: number) => void) {}

  change(userId: number, delta: 1 | -1): void {
    const count = Math.max(0, (this.counts.get(userId) ?? 0) + delta);
    this.version++;
    if (count === 0) this.counts.delete(userId);
    else this.counts.set(userId, count);
    this.onChange?.(userId, count);
  }

  isVisible(userId: number): boolean {
    return this.counts.has(userId);
  }

  close(): void {}
}
