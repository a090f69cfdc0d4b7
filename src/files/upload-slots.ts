// Bounds how many uploads run at once, per user and in total, so one person (or many) cannot hold
// an unbounded number of open files and sockets mid-upload, and so that a few accounts cannot take
// every slot (issue 21, §3: 16 accounts x 4 slow uploads filled the old pool of 64).
//
// The shares: 4 uploads per user at once, 256 in total (each holds a socket and a file descriptor;
// Bun raises the descriptor limit to the hard limit, 524,288 under systemd). A user's second to
// fourth upload may only use the first 192 slots; the last 64 are kept for users with no upload in
// flight. Filling the pool thus takes 48 accounts holding 4 uploads each plus 64 more holding one,
// 112 accounts in all, each upload sent at the minimum rate and cut at its deadline (upload-pace.ts).
export interface UploadSlotLimits {
  perUser: number;
  total: number;
  /** Slots only a user's first upload in flight may take. */
  reservedForFirst: number;
}

export const DEFAULT_UPLOAD_SLOTS: UploadSlotLimits = { perUser: 4, total: 256, reservedForFirst: 64 };

export class UploadSlots {
  private perUser = new Map<number, number>();
  private total = 0;
  private readonly limits: UploadSlotLimits;

  constructor(limits: Partial<UploadSlotLimits> = {}) {
    this.limits = { ...DEFAULT_UPLOAD_SLOTS, ...limits };
  }

  /** A release function, or null when no slot is free for this user. */
  acquire(userId: number): (() => void) | null {
    const mine = this.perUser.get(userId) ?? 0;
    const ceiling = mine === 0 ? this.limits.total : this.limits.total - this.limits.reservedForFirst;
    if (mine >= this.limits.perUser || this.total >= ceiling) return null;
    this.perUser.set(userId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  get inFlight(): number {
    return this.total;
  }
}
