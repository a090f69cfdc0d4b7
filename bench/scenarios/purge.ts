// Purge (issue 17): the latency scenario's open-loop load while retention deletes a backlog of
// expired messages in another room. Once the warm-up is over the admin sets a 30-day retention
// (PUT /api/admin/retention), which starts a pass at once; every message of the load is measured
// from its due time to its arrival at each member, so a write lock held too long by the purge shows
// up here. The orchestrator checks afterwards that the backlog is gone and how long it took.
import { api } from "../lib/http.ts";
import type { JobResult, PurgeJob } from "../lib/job.ts";
import { openLoop } from "../lib/open-loop.ts";
import { RoomRun, roomOptions } from "../lib/room-run.ts";
import { edge, span } from "../lib/window.ts";

export async function runPurge(job: PurgeJob): Promise<JobResult> {
  const senders = job.members.length;
  const room = new RoomRun(roomOptions(job, senders));
  await room.connect();
  const problems = [...room.problems];

  const loop = openLoop(job.ratePerSecond, job.warmupMs + job.durationMs, (k, due) => room.send(k % senders, due));
  room.window = { from: loop.startMicros + job.warmupMs * 1000, to: Number.POSITIVE_INFINITY };
  await Bun.sleep(job.warmupMs);
  const from = edge(job.serverPid);
  if (job.target === "vaultroom") {
    const set = await api(job.port, { method: "PUT", path: "/api/admin/retention", cookie: job.admin.cookie, body: { messageDays: 30, fileDays: null } });
    if (set.status !== 200) problems.push(`setting the retention failed: ${set.status} ${set.body.slice(0, 200)}`);
  }
  await loop.done;
  await room.drain(15_000);
  const to = edge(job.serverPid);
  room.close();

  const latency = room.latency.summary();
  const window = span(from, to);
  return {
    scenario: "purge",
    target: job.target,
    problems: [...problems, ...room.problems],
    metrics: {
      members: job.members.length,
      ratePerSecond: job.ratePerSecond,
      samples: latency.count,
      p50ms: latency.p50,
      p99ms: latency.p99,
      p999ms: latency.p999,
      maxms: latency.max,
      serverCpuPercent: window.serverCpuPercent,
      clientCpuPercent: window.clientCpuPercent,
    },
    details: { errors: Object.fromEntries(room.errors) },
  };
}
