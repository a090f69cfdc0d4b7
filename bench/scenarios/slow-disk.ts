// Slow disk (open loop). The latency scenario's load, on a server whose every fsync the orchestrator
// has slowed by `fsyncDelayMs` (bench/lib/slow-disk.ts), while a side client asks for history pages,
// typing indicators and pings. Posts must wait for the disk (acked after the commit); nothing else
// should: delivery p99 should stay near the fsync time, the side requests near their usual round trip.
import type { JobResult, SlowDiskJob } from "../lib/job.ts";
import { openLoop } from "../lib/open-loop.ts";
import { RoomRun, roomOptions } from "../lib/room-run.ts";
import { SideProbe } from "../lib/side-probe.ts";
import { edge, span } from "../lib/window.ts";

export async function runSlowDisk(job: SlowDiskJob): Promise<JobResult> {
  const senders = job.members.length;
  const room = new RoomRun(roomOptions(job, senders));
  room.trackAcks = true;
  await room.connect();
  // The probe's sockets are extra sockets of the last members (their own frame buckets; these
  // users post only a few messages a second in the load).
  const [a, b, c] = job.members.slice(-3);
  const probe = new SideProbe({ port: job.port, roomId: job.roomId, members: [a!, b!, c!], ...job.probe });
  await probe.start();

  const loop = openLoop(job.ratePerSecond, job.warmupMs + job.durationMs, (k, due) => room.send(k % senders, due));
  room.window = { from: loop.startMicros + job.warmupMs * 1000, to: Number.POSITIVE_INFINITY };
  await Bun.sleep(job.warmupMs);
  probe.recording = true;
  const from = edge(job.serverPid);
  await loop.done;
  probe.recording = false;
  const to = edge(job.serverPid);
  await room.drain(15_000);
  probe.stop();
  room.close();

  const delivery = room.latency.summary();
  const ack = room.ackLatency.summary();
  const history = probe.history.summary();
  const typing = probe.typing.summary();
  const ping = probe.ping.summary();
  const window = span(from, to);
  return {
    scenario: "slow-disk",
    target: job.target,
    problems: [...room.problems, ...probe.problems],
    metrics: {
      fsyncDelayMs: job.fsyncDelayMs,
      members: job.members.length,
      ratePerSecond: job.ratePerSecond,
      deliveryP50ms: delivery.p50,
      deliveryP99ms: delivery.p99,
      deliveryMaxms: delivery.max,
      ackP50ms: ack.p50,
      ackP99ms: ack.p99,
      historyRequests: history.count,
      historyP50ms: history.p50,
      historyP99ms: history.p99,
      typingRequests: typing.count,
      typingP50ms: typing.p50,
      typingP99ms: typing.p99,
      pingRequests: ping.count,
      pingP50ms: ping.p50,
      pingP99ms: ping.p99,
      stallMaxms: ping.max,
      serverCpuPercent: window.serverCpuPercent,
      serverWaitMsPerS: window.serverWaitMsPerS,
      ackedTotal: room.totalAcked,
    },
    details: { errors: Object.fromEntries(room.errors) },
  };
}
