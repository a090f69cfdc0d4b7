// Durable ingest (closed loop). Many senders, each in its own room, each with `window` posts in
// flight; VaultRoom acknowledges a post only after the transaction holding it has committed
// (synchronous=FULL). The figure is acknowledged messages per second. Afterwards the orchestrator
// kills the server with SIGKILL and counts the rows: every acknowledged message must be there.
import type { IngestJob, JobResult } from "../lib/job.ts";
import { RoomRun } from "../lib/room-run.ts";
import { edge, span } from "../lib/window.ts";

export async function runIngest(job: IngestJob): Promise<JobResult> {
  // One RoomRun per sender's room: the sender is that room's only member and sender.
  const rooms = job.senders.map(
    ({ member, roomId }, index) =>
      new RoomRun({
        kind: job.target,
        // --cluster: sender i on node i % nodes (each sender's room has only that sender).
        port: job.ports?.length ? job.ports[index % job.ports.length]! : job.port,
        roomId: job.target === "floor" ? 1_000_000 + index : roomId,
        members: [member],
        senders: 1,
        run: job.run + index * 0x10000,
        mayLoseServer: job.killPid !== undefined,
      }),
  );
  await Promise.all(rooms.map((room) => room.connect()));

  let stopped = false;
  const inFlight = new Int32Array(rooms.length);
  rooms.forEach((room, index) => {
    const pump = () => {
      while (!stopped && !room.lost && inFlight[index]! < job.window) {
        inFlight[index]!++;
        room.send(0);
      }
    };
    room.onSettled = (_sender, ok, retryAfterMs) => {
      inFlight[index]!--;
      if (!ok && retryAfterMs !== undefined) setTimeout(pump, retryAfterMs);
      else pump();
    };
    pump();
  });

  const acked = () => rooms.reduce((total, room) => total + room.totalAcked, 0);
  await Bun.sleep(job.warmupMs);
  const from = edge(job.serverPids ?? job.serverPid);
  const ackedFrom = acked();
  if (job.killPid === undefined) await Bun.sleep(job.durationMs);
  else {
    await Bun.sleep(job.durationMs / 2);
    process.kill(job.killPid, "SIGKILL");
    await Bun.sleep(job.durationMs / 2);
  }
  const to = edge(job.serverPids ?? job.serverPid);
  const ackedInWindow = acked() - ackedFrom;
  stopped = true;
  await Promise.all(rooms.map((room) => room.drain(15_000)));
  for (const room of rooms) room.close();

  const window = span(from, to);
  const errors: Record<string, number> = {};
  for (const room of rooms) for (const [code, count] of room.errors) errors[code] = (errors[code] ?? 0) + count;
  return {
    scenario: "ingest",
    target: job.target,
    problems: rooms.flatMap((room, index) => room.problems.map((p) => `sender ${index}: ${p}`)).slice(0, 20),
    metrics: {
      senders: rooms.length,
      ackedPerSecond: Math.round(ackedInWindow / window.seconds),
      cpuMicrosPerMessage: ackedInWindow ? Math.round((window.serverCpuMicros / ackedInWindow) * 100) / 100 : 0,
      serverCpuPercent: window.serverCpuPercent,
      clientCpuPercent: window.clientCpuPercent,
      serverWaitMsPerS: window.serverWaitMsPerS,
      clientWaitMsPerS: window.clientWaitMsPerS,
      ackedTotal: acked(),
    },
    details: {
      errors,
      // The orchestrator checks these against the database after killing the server.
      ackedPerSender: rooms.map((room) => room.totalAcked),
      sentPerSender: rooms.map((room) => room.totalSent),
      runTags: rooms.map((room) => room.options.run),
      lostSenders: rooms.filter((room) => room.lost).length,
      killed: job.killPid !== undefined,
    },
  };
}
