// History. In a room holding a great many messages, asks for pages of `pageSize`: the newest page and
// pages deep in the past (just before a random id in the oldest tenth). One request at a time, so
// each figure is one round trip: request frame in, query, JSON out, reply frame back.
import { Histogram } from "../lib/histogram.ts";
import type { HistoryJob, JobResult } from "../lib/job.ts";
import { openMany, openSocket } from "../lib/wire.ts";

export async function runHistory(job: HistoryJob): Promise<JobResult> {
  const problems: string[] = [];
  let pending: ((frame: string) => void) | null = null;
  const sockets = await openMany(job.members, 16, (member) =>
    openSocket("vaultroom", job.port, member, "", (frame) => {
      if (frame.startsWith('{"type":"ack"') || frame.startsWith('{"type":"error"')) pending?.(frame);
    }),
  );

  // Spread over the members' sockets so no one connection's request-rate limit is reached.
  let turn = 0;
  const ask = async (before: number | undefined): Promise<number> => {
    const ws = sockets[turn++ % sockets.length]!;
    const requestId = `h${turn}`;
    const request = { type: "history", requestId, roomId: job.roomId, limit: job.pageSize, ...(before === undefined ? {} : { before }) };
    const started = performance.now();
    const frame = await new Promise<string>((resolve) => {
      pending = resolve;
      ws.send(JSON.stringify(request));
    });
    const micros = (performance.now() - started) * 1000;
    const reply = JSON.parse(frame) as { type: string; requestId?: string; messages?: { id: number }[]; hasMore?: boolean; code?: string };
    if (reply.type !== "ack" || reply.requestId !== requestId) {
      if (problems.length < 10) problems.push(`history request failed: ${frame.slice(0, 160)}`);
    } else if (reply.messages?.length !== job.pageSize || reply.hasMore !== true) {
      if (problems.length < 10)
        problems.push(`a page held ${reply.messages?.length} messages (hasMore ${reply.hasMore}); expected ${job.pageSize}`);
    } else if (before !== undefined && reply.messages[0]!.id !== before - 1) {
      if (problems.length < 10) problems.push(`the page before ${before} began at ${reply.messages[0]!.id}`);
    }
    return micros;
  };

  const top = new Histogram();
  const deep = new Histogram();
  const span = Math.max(1, Math.floor((job.lastId - job.firstId) / 10));
  // Warm-up: a few of each, not counted.
  for (let i = 0; i < 20; i++) {
    await ask(undefined);
    await ask(job.firstId + job.pageSize + 1 + Math.floor(Math.random() * span));
  }
  for (let i = 0; i < job.requests; i++) {
    top.record(await ask(undefined));
    deep.record(await ask(job.firstId + job.pageSize + 1 + Math.floor(Math.random() * span)));
  }
  for (const ws of sockets) ws.close();

  const t = top.summary();
  const d = deep.summary();
  return {
    scenario: "history",
    target: job.target,
    problems,
    metrics: {
      requests: job.requests,
      topP50ms: t.p50,
      topP99ms: t.p99,
      topMaxms: t.max,
      deepP50ms: d.p50,
      deepP99ms: d.p99,
      deepMaxms: d.max,
    },
  };
}
