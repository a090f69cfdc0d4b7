// How fast an upload body must arrive. Without a rule, 16 accounts holding 4 uploads each at one byte
// every 2 s kept every upload slot busy for as long as they liked (issue 21, §3). Two rules apply
// while a body is received:
//
// - Minimum rate: after a grace period, the bytes received over the last `windowMs` must average at
//   least `minBytesPerSecond`. The window forgives a stall (a tunnel, a Wi-Fi hand-over) as long as
//   the connection catches up within it.
// - Deadline: the whole body must arrive within `graceMs` plus the time the largest allowed upload
//   takes at `referenceBytesPerSecond`, so a slot cannot be held forever by trickling at the minimum.
//
// Defaults, and why: 8 KiB/s (64 kbit/s) over 30 s after 15 s. A poor mobile uplink averaging
// 256 kbit/s rides out a stall of 22 s (one at 100 kbit/s, 10 s) and an EDGE-class link at 64 kbit/s
// still gets through, while a trickle loses its slot 15 s after it starts.
// The deadline assumes 32 KiB/s (256 kbit/s, a poor mobile uplink): with the default 25 MiB
// --max-upload that is 15 s + 800 s = 13 min 35 s; it grows with --max-upload, so any connection
// that averages 256 kbit/s can always send the largest file allowed.

export interface UploadPace {
  minBytesPerSecond: number;
  windowMs: number;
  /** The rate rule starts this long after the upload does (TLS, TCP slow start, a slow first second). */
  graceMs: number;
  /** The deadline is graceMs + maxUploadBytes at this rate. */
  referenceBytesPerSecond: number;
}

export const DEFAULT_UPLOAD_PACE: UploadPace = {
  minBytesPerSecond: 8 * 1024,
  windowMs: 30_000,
  graceMs: 15_000,
  referenceBytesPerSecond: 32 * 1024,
};

export function uploadDeadlineMs(maxUploadBytes: number, pace: UploadPace): number {
  return pace.graceMs + Math.ceil((maxUploadBytes / pace.referenceBytesPerSecond) * 1000);
}

export type PaceVerdict = "too_slow" | "too_long";

/** Buckets per window: the window slides in steps of windowMs / BUCKETS (3 s by default). */
const BUCKETS = 10;

/** Counts one upload's bytes over time and judges them against the rules. Pure: time is passed in. */
export class PaceMeter {
  private readonly bucketMs: number;
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  private lastBucket: number;
  readonly deadlineMs: number;

  constructor(
    readonly pace: UploadPace,
    maxUploadBytes: number,
    private readonly startedAt: number,
  ) {
    this.bucketMs = pace.windowMs / BUCKETS;
    this.lastBucket = Math.floor(startedAt / this.bucketMs);
    this.deadlineMs = uploadDeadlineMs(maxUploadBytes, pace);
  }

  record(bytes: number, now: number): void {
    this.advance(now);
    this.counts[this.lastBucket % BUCKETS]! += bytes;
  }

  verdict(now: number): PaceVerdict | null {
    const elapsed = now - this.startedAt;
    if (elapsed > this.deadlineMs) return "too_long";
    if (elapsed < this.pace.graceMs) return null;
    this.advance(now);
    // The buckets cover the current, partial one and the nine before it; before a whole window has
    // passed, just the time since the start.
    const span = Math.min(elapsed, (BUCKETS - 1) * this.bucketMs + (now % this.bucketMs));
    const received = this.counts.reduce((sum, n) => sum + n, 0);
    return received < (this.pace.minBytesPerSecond * span) / 1000 ? "too_slow" : null;
  }

  /** Empties the buckets that slid out of the window since the last call. */
  private advance(now: number): void {
    const bucket = Math.floor(now / this.bucketMs);
    for (let b = this.lastBucket + 1; b <= bucket && b <= this.lastBucket + BUCKETS; b++) this.counts[b % BUCKETS] = 0;
    this.lastBucket = Math.max(this.lastBucket, bucket);
  }
}

/** The body arrived too slowly, or not within the deadline; the partial file is already gone. */
export class BodyTooSlow extends Error {
  constructor(
    readonly verdict: PaceVerdict,
    readonly meter: PaceMeter,
  ) {
    super(`upload ${verdict.replace("_", " ")}`);
  }
}

/**
 * Checks a meter every tick until stopped. `tripped` rejects with BodyTooSlow when a rule is broken:
 * race each read against it, so a body that sends nothing at all is caught too.
 */
export function watchPace(meter: PaceMeter, onTrip: () => void, now: () => number = Date.now) {
  let stop = () => {};
  const tripped = new Promise<never>((_, reject) => {
    const tickMs = Math.max(10, Math.min(1000, meter.pace.windowMs / BUCKETS));
    const timer = setInterval(() => {
      const verdict = meter.verdict(now());
      if (!verdict) return;
      clearInterval(timer);
      onTrip();
      reject(new BodyTooSlow(verdict, meter));
    }, tickMs);
    stop = () => clearInterval(timer);
  });
  // Nobody may be racing it at the moment it trips (a disk write in progress); the next read will be.
  tripped.catch(() => {});
  return { tripped, stop };
}
