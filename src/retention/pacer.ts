// Paces a background purge so the chat keeps its latency while it runs. Deleting costs ~80 µs a
// message (text, search rows, files, a numbered change), on the writer thread: unpaced, a
// 100,000-message backlog kept a small server's core busy for ten seconds and every message waited
// behind it (bench: purge). So:
// - each batch is sized to take about `targetMs` of work, from how long the last ones took per row
//   (timed inside the writer, so the wait for a commit is not counted);
// - after each batch the purge rests `factor` times as long as the batch took, and the factor
//   follows how busy the server is: doubled while the process uses more than `busyShare` of its
//   cores, eased back when it does not. A quiet server purges at up to half speed; one busy with
//   messages gives the purge a few percent of a core and finishes it later (retention is a
//   promise in days, a message is a promise in milliseconds).
export interface PacerOptions {
  initial: number;
  min: number;
  max: number;
  targetMs: number;
  /** Bounds of the rest, as a multiple of the batch's time. */
  minFactor: number;
  maxFactor: number;
  /** Share of the process's cores (0–1) above which the server counts as busy. */
  busyShare: number;
  minPauseMs: number;
  maxPauseMs: number;
}

export const PURGE_PACE: PacerOptions = {
  initial: 100, min: 50, max: 500, targetMs: 8, minFactor: 1, maxFactor: 32, busyShare: 0.6, minPauseMs: 2, maxPauseMs: 1_000,
};

export class Pacer {
  /** Rows the next batch should take. */
  size: number;
  /** The rest after a batch, as a multiple of its time. */
  factor: number;

  constructor(private readonly options: PacerOptions = PURGE_PACE) {
    this.size = options.initial;
    this.factor = options.minFactor * 2;
  }

  /**
   * Records a batch of `rows` that took `ms` of work while the process used `share` of its cores
   * (0–1, since the last batch); returns how long to rest before the next.
   */
  after(rows: number, ms: number, share: number): number {
    const { min, max, targetMs, minFactor, maxFactor, busyShare, minPauseMs, maxPauseMs } = this.options;
    if (rows > 0 && ms > 0) {
      const fit = Math.round((targetMs * rows) / ms);
      // Halfway towards the fit at most each time, so one slow batch (the core busy elsewhere) does not swing it.
      const half = (this.size + fit) / 2;
      this.size = Math.min(max, Math.max(min, fit < this.size ? Math.floor(half) : Math.ceil(half)));
    }
    this.factor = share > busyShare ? Math.min(maxFactor, this.factor * 2) : Math.max(minFactor, this.factor / 1.5);
    return Math.min(maxPauseMs, Math.max(minPauseMs, ms * this.factor));
  }
}

/** How much of its cores the process used since the last call (0–1): both threads, user and system. */
export function processLoad(): () => number {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  let cpu = process.cpuUsage();
  let at = performance.now();
  return () => {
    const nowCpu = process.cpuUsage();
    const now = performance.now();
    const usedMs = (nowCpu.user - cpu.user + nowCpu.system - cpu.system) / 1000;
    const share = now > at ? usedMs / ((now - at) * cores) : 0;
    cpu = nowCpu;
    at = now;
    return Math.min(1, Math.max(0, share));
  };
}
