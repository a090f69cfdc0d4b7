// Latency (open loop). Every member of the room also sends, in turn, so that together they post
// `ratePerSecond` messages; each message's latency is measured from the moment it was due to its
// arrival at each member, so every message contributes one sample per member.
import type { JobResult, LatencyJob, NotifyLatencyJob } from "../lib/job.ts";
import { openLoop } from "../lib/open-loop.ts";
import { RoomRun, roomOptions } from "../lib/room-run.ts";
import { edge, span } from "../lib/window.ts";

export async function runLatency(job: LatencyJob | NotifyLatencyJob): Promise<JobResult> {
  const senders = job.members.length;
  const room = new RoomRun(roomOptions(job, senders));
  await room.connect();

  const loop = openLoop(job.ratePerSecond, job.warmupMs + job.durationMs, (k, due) => room.send(k % senders, due));
  room.window = { from: loop.startMicros + job.warmupMs * 1000, to: Number.POSITIVE_INFINITY };
  await Bun.sleep(job.warmupMs);
  const from = edge(job.serverPids ?? job.serverPid);
  await loop.done;
  await room.drain(15_000);
  const to = edge(job.serverPids ?? job.serverPid);
  room.close();

  const latency = room.latency.summary();
  const window = span(from, to);
  return {
    scenario: job.scenario,
    target: job.target,
    problems: room.problems,
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
      serverWaitMsPerS: window.serverWaitMsPerS,
      clientWaitMsPerS: window.clientWaitMsPerS,
      ackedTotal: room.totalAcked,
    },
    details: { errors: Object.fromEntries(room.errors) },
  };
}
