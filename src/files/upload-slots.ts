// Bounds how many uploads run at once, per user and in total, so one person (or many) cannot hold
// an unbounded number of open files and sockets mid-upload.
export const MAX_UPLOADS_PER_USER = 4;
export const MAX_UPLOADS_TOTAL = 64;

export class UploadSlots {
  private perUser = new Map<number, number>();
  private total = 0;

  constructor(
    private readonly perUserLimit = MAX_UPLOADS_PER_USER,
    private readonly totalLimit = MAX_UPLOADS_TOTAL,
  ) {}

  /** A release function, or null when no slot is free. */
  acquire(userId: number): (() => void) | null {
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= this.perUserLimit || this.total >= this.totalLimit) return null;
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
