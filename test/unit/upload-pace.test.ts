// The minimum-rate and deadline rules for upload bodies, driven with explicit clocks.
import { describe, expect, test } from "bun:test";
import { DEFAULT_UPLOAD_PACE, PaceMeter, uploadDeadlineMs, type UploadPace } from "../../src/files/upload-pace.ts";
import { formatDuration } from "../../src/files/sizes.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Sends `send(t)` bytes every `tickMs` from t=0 until `total` bytes are sent, a verdict, or `untilMs`;
 * the server's --max-upload is 25 MiB (it sets the deadline).
 */
function simulate(pace: UploadPace, total: number, untilMs: number, send: (t: number) => number, tickMs = 100) {
  const meter = new PaceMeter(pace, Math.max(25 * MiB, total), 0);
  let sent = 0;
  for (let t = tickMs; t <= untilMs; t += tickMs) {
    const bytes = send(t);
    if (bytes) meter.record(bytes, t);
    sent += bytes;
    const verdict = meter.verdict(t);
    if (verdict) return { verdict, at: t, sent };
    if (sent >= total) return { verdict: null, at: t, sent };
  }
  return { verdict: null, at: untilMs, sent };
}

describe("the production numbers are the documented ones", () => {
  test("8 KiB/s over 30 s after 15 s; the deadline assumes 32 KiB/s", () => {
    expect(DEFAULT_UPLOAD_PACE).toEqual({ minBytesPerSecond: 8 * KiB, windowMs: 30_000, graceMs: 15_000, referenceBytesPerSecond: 32 * KiB });
  });

  test("the default 25 MiB limit gets 13 min 35 s, and the deadline grows with --max-upload", () => {
    expect(formatDuration(uploadDeadlineMs(25 * MiB, DEFAULT_UPLOAD_PACE))).toBe("13 min 35 s");
    expect(uploadDeadlineMs(1024 * MiB, DEFAULT_UPLOAD_PACE)).toBeGreaterThan(9 * 3600_000);
  });

  test("a slow but honest connection (256 kbit/s, steady) uploads the largest file allowed", () => {
    const result = simulate(DEFAULT_UPLOAD_PACE, 25 * MiB, 3600_000, () => 32 * KiB, 1000);
    expect(result).toEqual({ verdict: null, at: 800_000, sent: 25 * MiB });
  });

  test("an honest connection at 256 kbit/s that stalls for 20 s and catches up keeps going", () => {
    const result = simulate(DEFAULT_UPLOAD_PACE, 4 * MiB, 600_000, (t) => (t > 40_000 && t <= 60_000 ? 0 : 32 * KiB), 1000);
    expect(result.verdict).toBeNull();
    expect(result.sent).toBe(4 * MiB);
  });

  test("a 100 kbit/s connection rides out a 10 s stall but not a 25 s one", () => {
    const stalled = (seconds: number) => (t: number) => (t > 40_000 && t <= 40_000 + seconds * 1000 ? 0 : 12.5 * KiB);
    expect(simulate(DEFAULT_UPLOAD_PACE, 2 * MiB, 600_000, stalled(10), 1000).verdict).toBeNull();
    expect(simulate(DEFAULT_UPLOAD_PACE, 2 * MiB, 600_000, stalled(25), 1000).verdict).toBe("too_slow");
  });
});

describe("the rate rule", () => {
  test("one byte every 2 s is cut when the grace period ends", () => {
    const result = simulate(DEFAULT_UPLOAD_PACE, 25 * MiB, 120_000, (t) => (t % 2000 === 0 ? 1 : 0), 1000);
    expect(result).toMatchObject({ verdict: "too_slow", at: 15_000 });
  });

  test("a body that sends nothing at all is cut too", () => {
    expect(simulate(DEFAULT_UPLOAD_PACE, 25 * MiB, 120_000, () => 0, 1000)).toMatchObject({ verdict: "too_slow", at: 15_000 });
  });

  test("a fast start does not buy a long stall: the window slides", () => {
    // 1 MiB in the first second, then nothing: fine until the megabyte leaves the 30 s window.
    const result = simulate(DEFAULT_UPLOAD_PACE, 25 * MiB, 120_000, (t) => (t === 1000 ? MiB : 0), 1000);
    expect(result.verdict).toBe("too_slow");
    expect(result.at).toBeGreaterThanOrEqual(28_000);
    expect(result.at).toBeLessThanOrEqual(31_000);
  });

  test("just under the minimum is cut; just over it is not", () => {
    const under = simulate(DEFAULT_UPLOAD_PACE, 25 * MiB, 200_000, () => 8 * KiB - 64, 1000);
    expect(under.verdict).toBe("too_slow");
    const over = simulate(DEFAULT_UPLOAD_PACE, 2 * MiB, 400_000, () => 8 * KiB + 64, 1000);
    expect(over.verdict).toBeNull();
  });
});

describe("the deadline", () => {
  test("trickling at the minimum rate cannot hold a slot past the deadline", () => {
    const pace = { ...DEFAULT_UPLOAD_PACE };
    const result = simulate(pace, 25 * MiB, 3600_000, () => 9 * KiB, 1000);
    expect(result.verdict).toBe("too_long");
    expect(result.at).toBe(uploadDeadlineMs(25 * MiB, pace) + 1000);
  });
});
