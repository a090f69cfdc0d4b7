// Login storm. The room runs open loop at `ratePerSecond`; partway through, every login in the list
// is sent at once (from several client addresses, as real people arrive). Password hashing is
// deliberately slow and bounded, so some logins are told "busy, retry after N s": they retry as a
// browser would. Half of the people have TOTP on (issue 14): their password step answers "second
// factor required" with a half-session cookie, and they send a code computed from their secret, as
// an authenticator app would (no second password hash). The figures: message latency while the
// storm lasts, and the server's peak memory.
import { api, type ApiResponse } from "../lib/http.ts";
import { totpCode } from "../lib/seed.ts";
import type { JobResult, LoginStormJob } from "../lib/job.ts";
import { openLoop } from "../lib/open-loop.ts";
import { memory } from "../lib/proc.ts";
import { RoomRun, roomOptions } from "../lib/room-run.ts";
import { edge, span } from "../lib/window.ts";

interface LoginOutcome {
  ok: boolean;
  ms: number;
  attempts: number;
  statuses: number[];
  /** Finished with a TOTP code after the password. */
  totp: boolean;
}

export async function runLoginStorm(job: LoginStormJob): Promise<JobResult> {
  const senders = job.members.length;
  const room = new RoomRun(roomOptions(job, senders));
  await room.connect();

  let peak = memory(job.serverPid);
  const baseline = peak;
  const sampler = setInterval(() => {
    const reading = memory(job.serverPid);
    if (reading.rss > peak.rss) peak = reading;
  }, 50);

  const from = edge(job.serverPid);
  const loop = openLoop(job.ratePerSecond, job.durationMs, (k, due) => room.send(k % senders, due));
  const stormStart = loop.startMicros + job.stormAtMs * 1000;
  // Latency counts only for messages due while logins are in progress (the window closes below).
  room.window = { from: stormStart, to: Number.POSITIVE_INFINITY };
  await Bun.sleep(Math.max(0, (stormStart - performance.now() * 1000) / 1000));

  const stormBegan = performance.now();
  const outcomes = await Promise.all(job.logins.map((login) => loginWithRetry(job.port, login)));
  const stormMs = performance.now() - stormBegan;
  // Messages due after the last login answered measure a quiet room again; keep them out.
  room.window = { from: stormStart, to: job.logins.length ? performance.now() * 1000 : Number.POSITIVE_INFINITY };

  await loop.done;
  await room.drain(15_000);
  const window = span(from, edge(job.serverPid));
  clearInterval(sampler);
  const after = memory(job.serverPid);
  room.close();

  const problems = [...room.problems];
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length)
    problems.push(
      `${failed.length} of ${outcomes.length} logins never succeeded (statuses ${failed.map((o) => o.statuses.join("/")).join(", ")})`,
    );
  const latency = room.latency.summary();
  const statusCounts: Record<string, number> = {};
  for (const o of outcomes) for (const s of o.statuses) statusCounts[s] = (statusCounts[s] ?? 0) + 1;
  const loginMs = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    scenario: "login-storm",
    target: job.target,
    problems,
    metrics: {
      logins: outcomes.length,
      totpLogins: outcomes.filter((o) => o.ok && o.totp).length,
      stormSeconds: Math.round(stormMs / 100) / 10,
      samples: latency.count,
      p50ms: latency.p50,
      p99ms: latency.p99,
      maxms: latency.max,
      slowestLoginMs: Math.round(loginMs.at(-1) ?? 0),
      rssBeforeMiB: Math.round(baseline.rss / 1048576),
      rssPeakMiB: Math.round(peak.rss / 1048576),
      rssGrowthMiB: Math.round((peak.rss - baseline.rss) / 1048576),
      rssAfterMiB: Math.round(after.rss / 1048576),
      ackedTotal: room.totalAcked,
      serverCpuPercent: window.serverCpuPercent,
      serverWaitMsPerS: window.serverWaitMsPerS,
      clientWaitMsPerS: window.clientWaitMsPerS,
    },
    details: { loginStatuses: statusCounts, errors: Object.fromEntries(room.errors) },
  };
}

/** "Busy" (503) and "slow down" (429) are retried after Retry-After, as a browser would; anything else is the answer. */
async function withRetry(call: () => Promise<ApiResponse>, statuses: number[]): Promise<ApiResponse | null> {
  for (let attempt = 1; attempt <= 20; attempt++) {
    const response = await call();
    statuses.push(response.status);
    if (response.status !== 503 && response.status !== 429) return response;
    const retryAfter = Number(response.headers["retry-after"] ?? 1);
    await Bun.sleep(Math.min(10, Math.max(1, retryAfter)) * 1000);
  }
  return null;
}

function halfSessionCookie(response: ApiResponse): string | undefined {
  const raw = response.headers["set-cookie"];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => c.split(";", 1)[0]!).find((c) => c.startsWith("__Host-vaultroom_2fa=") && !c.endsWith("="));
}

async function loginWithRetry(port: number, login: LoginStormJob["logins"][number]): Promise<LoginOutcome> {
  const started = performance.now();
  const statuses: number[] = [];
  const done = (ok: boolean, totp = false): LoginOutcome => ({ ok, ms: performance.now() - started, attempts: statuses.length, statuses, totp });
  const password = await withRetry(
    () => api(port, { method: "POST", path: "/api/auth/login", from: login.from, body: { username: login.username, password: login.password } }),
    statuses,
  );
  if (password?.status !== 200) return done(false);
  if (password.json<{ secondFactor?: string }>().secondFactor !== "required") return done(true);
  const half = halfSessionCookie(password);
  if (!login.totpSecret || !half) return done(false);
  // The step whose code turned TOTP on is spent: within it, the next step's code (the ±1 window takes it).
  const step = (at: number) => Math.floor(at / 30_000);
  const at = login.totpEnabledAt !== undefined && step(Date.now()) <= step(login.totpEnabledAt) ? Date.now() + 30_000 : Date.now();
  const code = await withRetry(
    () => api(port, { method: "POST", path: "/api/auth/second-factor", from: login.from, cookie: half, body: { code: totpCode(login.totpSecret!, at) } }),
    statuses,
  );
  return done(code?.status === 200, true);
}
