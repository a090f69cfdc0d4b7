// Idle connections. Opens `connections` authenticated sockets (each user holds up to the server's
// per-user cap), lets them sit, and reads the server's resident memory before and after: the
// growth divided by the number of sockets is what one idle connection costs.
import type { IdleJob, JobResult } from "../lib/job.ts";
import { memory } from "../lib/proc.ts";
import { openMany, openSocket } from "../lib/wire.ts";

export async function runIdle(job: IdleJob): Promise<JobResult> {
  const problems: string[] = [];
  const slots = Array.from({ length: job.connections }, (_, i) => job.users[Math.floor(i / job.socketsPerUser)]!);
  if (slots.some((user) => user === undefined)) throw new Error("not enough users for the connections asked for");
  const open = (parallel: number, list: typeof slots) =>
    openMany(list, parallel, (user) => openSocket(job.target, job.port, user, "lobby", () => {}, 60_000));

  // Warm-up: the first sockets pay for code and pools that any server has once, not per socket.
  const warm = await open(32, slots.slice(0, Math.min(200, job.connections)));
  // Wait for every close to complete, so the server's per-user socket count is back to zero.
  await Promise.all(
    warm.map(
      (ws) =>
        new Promise((resolve) => {
          ws.onclose = resolve;
          ws.close();
        }),
    ),
  );
  await Bun.sleep(Math.min(3000, job.settleMs));
  const before = memory(job.serverPid);

  const started = performance.now();
  let closedEarly = 0;
  const sockets = await open(128, slots);
  const connectSeconds = (performance.now() - started) / 1000;
  for (const ws of sockets) ws.onclose = () => closedEarly++;
  await Bun.sleep(job.settleMs);
  // The lowest of a few readings: a collector that has just run shows what is really held.
  let after = memory(job.serverPid);
  for (let i = 0; i < 5; i++) {
    await Bun.sleep(200);
    const reading = memory(job.serverPid);
    if (reading.rss < after.rss) after = reading;
  }
  const open_ = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  if (open_ !== job.connections)
    problems.push(`${job.connections - open_} of ${job.connections} sockets were not open after settling (${closedEarly} closed)`);
  for (const ws of sockets) {
    ws.onclose = null;
    ws.close();
  }
  await Bun.sleep(200);

  return {
    scenario: "idle",
    target: job.target,
    problems,
    metrics: {
      connections: job.connections,
      rssBeforeMiB: Math.round(before.rss / 1048576),
      rssAfterMiB: Math.round(after.rss / 1048576),
      bytesPerConnection: Math.round((after.rss - before.rss) / job.connections),
      connectPerSecond: Math.round(job.connections / connectSeconds),
    },
  };
}
