// Paces background work so the chat keeps its latency while it runs: the retention purge
// (retention.ts: unpaced, a 100,000-message backlog kept a small server's core busy for ten seconds
// and every message waited behind it) and Web Push sending (push/sender.ts: a burst of 9,000
// encrypted pushes took the whole core for two seconds). So:
// - each batch is sized to take about `targetMs` of work, from how long the last ones took per item
//   (timed where the work happens, so a wait for something else is not counted);
// - after each batch the work rests `factor` times as long as the batch took, and the factor
//   follows how busy the server is: doubled while the process uses more than `busyShare` of its
//   cores, eased back when it does not. A quiet server does the work at up to 1/(1+minFactor) of
//   full speed; one busy with messages gives it a few percent of a core and finishes it later (a
//   purge is a promise in days, a push in seconds, a message in milliseconds).
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

export class Pacer {
  /** Rows the next batch should take. */
  size: number;
  /** The rest after a batch, as a multiple of its time. */
  factor: number;

  constructor(private readonly options: PacerOptions) {
    this.size = options.initial;
    this.factor = options.minFactor * 2;
  }

  /**
   * Records a batch of `rows` that took `ms` of work while the process used `share` of its cores
   * (0–1, since the last sample; null when no new sample: the factor stays); returns how long to
   * rest before the next.
   */
  after(rows: number, ms: number, share: number | null): number {
    const { min, max, targetMs, minFactor, maxFactor, busyShare, minPauseMs, maxPauseMs } = this.options;
    if (rows > 0 && ms > 0) {
      const fit = Math.round((targetMs * rows) / ms);
      // Halfway towards the fit at most each time, so one slow batch (the core busy elsewhere) does not swing it.
      const half = (this.size + fit) / 2;
      this.size = Math.min(max, Math.max(min, fit < this.size ? Math.floor(half) : Math.ceil(half)));
    }
    if (share !== null) this.factor = share > busyShare ? Math.min(maxFactor, this.factor * 2) : Math.max(minFactor, this.factor / 1.5);
    return Math.min(maxPauseMs, Math.max(minPauseMs, ms * this.factor));
  }
}

/**
 * How much of its cores (those it may run on) the process used since the last sample (0–1): every
 * thread, user and system. Called sooner than `minWindowMs` after the last sample it answers null:
 * CPU time is counted in scheduler ticks, so a window of a few milliseconds reads 0 or 1.
 */
export function processLoad(minWindowMs: number): () => number | null {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  let cpu = process.cpuUsage();
  let at = performance.now();
  return () => {
    const now = performance.now();
    if (now - at < minWindowMs) return null;
    const nowCpu = process.cpuUsage();
    const usedMs = (nowCpu.user - cpu.user + nowCpu.system - cpu.system) / 1000;
    const share = now > at ? usedMs / ((now - at) * cores) : 0;
    cpu = nowCpu;
    at = now;
    return Math.min(1, Math.max(0, share));
  };
}
