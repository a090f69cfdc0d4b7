// Open-loop load: message k is due at start + k / rate, whatever the server is doing. Each message
// carries its due time, so a stalled server (or client) shows up as latency instead of silently
// slowing the sender down (no coordinated omission).

export interface OpenLoop {
  /** Resolves when the last message is due and has been sent. */
  done: Promise<void>;
  /** Due time of message 0, µs on the performance clock. */
  startMicros: number;
}

export function openLoop(ratePerSecond: number, durationMs: number, send: (k: number, dueMicros: number) => void): OpenLoop {
  const startMicros = performance.now() * 1000 + 5000;
  const intervalMicros = 1e6 / ratePerSecond;
  const total = Math.floor((durationMs / 1000) * ratePerSecond);
  let k = 0;
  const done = new Promise<void>((resolve) => {
    const tick = () => {
      const nowMicros = performance.now() * 1000;
      while (k < total && startMicros + k * intervalMicros <= nowMicros) {
        send(k, startMicros + k * intervalMicros);
        k++;
      }
      if (k >= total) {
        resolve();
        return;
      }
      const waitMs = (startMicros + k * intervalMicros - performance.now() * 1000) / 1000;
      setTimeout(tick, Math.max(0, Math.floor(waitMs)));
    };
    setTimeout(tick, 5);
  });
  return { done, startMicros };
}
