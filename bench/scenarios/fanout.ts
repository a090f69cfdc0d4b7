// Fan-out capacity (closed loop). A few senders each keep `window` messages in flight in a room of N
// members; a new message leaves as soon as one is acknowledged. The figure that matters is the
// server's CPU time per delivery (a message reaching one member), which stays meaningful even when
// the single-core load client, not the server, is what limits deliveries per second.
//
// The conversation scenario is the same loop with a conversation's mix (issue 11): of each sender's
// requests, one in ten is a reply in a thread and one in ten a reaction (each sender toggles its own
// emoji on the thread's root, so every acknowledged reaction changes it and reaches every member).
// The floor has no such thing: it relays the same number of frames, all plain.
import type { ConversationJob, FanoutJob, JobResult, NotifyJob } from "../lib/job.ts";
import { RoomRun, roomOptions } from "../lib/room-run.ts";
import { postFrame, reactionFrame } from "../lib/wire.ts";
import { edge, span } from "../lib/window.ts";

const EMOJI = ["👍", "🎉", "❤️", "😂", "🚀", "👀", "🔥", "✅", "🙏", "💯", "🤔", "👏"];

/** A thread root in the bench room, posted over HTTP before the members connect. */
async function postRoot(job: ConversationJob): Promise<number> {
  const url = `https://127.0.0.1:${job.port}`;
  const response = await fetch(`${url}/api/rooms/${job.roomId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url, cookie: job.members[0]!.cookie },
    body: JSON.stringify({ clientId: crypto.randomUUID(), body: "the thread everyone answers" }),
    tls: { rejectUnauthorized: false },
  } as RequestInit);
  if (response.status !== 201) throw new Error(`root not posted: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { message: { id: number } }).message.id;
}

/** Every tenth request a reply in the thread, every tenth (offset by five) a reaction toggled. */
function conversationMix(job: ConversationJob, rootId: number) {
  const toggles = new Int32Array(job.senders);
  return (sender: number, seq: number, micros: number): string | null => {
    if (seq % 10 === 3) return postFrame("vaultroom", job.roomId, job.run, sender, seq, micros, rootId);
    if (seq % 10 === 8) return reactionFrame(rootId, EMOJI[sender % EMOJI.length]!, toggles[sender]!++ % 2 === 0, seq);
    return null;
  };
}

export async function runFanout(job: FanoutJob | ConversationJob | NotifyJob): Promise<JobResult> {
  const rootId = job.scenario === "conversation" && job.target === "vaultroom" ? await postRoot(job) : null;
  const room = new RoomRun({
    ...roomOptions(job, job.senders),
    ...(rootId !== null ? { frame: conversationMix(job as ConversationJob, rootId) } : {}),
  });
  await room.connect();

  // Besides each sender's window, the room as a whole never has more than this many messages not yet
  // delivered to every member, so a client that reads slower than the server writes cannot let
  // frames pile up in the server's socket buffers (which it would rightly close at 1 MiB).
  const globalCap = job.senders * job.window;
  let stopped = false;
  const paused = new Set<number>();
  const inFlight = new Int32Array(job.senders);
  const outstanding = () => room.totalSent - Math.floor(room.deliveries / job.members.length);

  let blocked = false;
  const pump = (sender: number) => {
    while (!stopped && !paused.has(sender) && inFlight[sender]! < job.window) {
      if (outstanding() >= globalCap) {
        blocked = true;
        return;
      }
      inFlight[sender]!++;
      room.send(sender);
    }
  };
  room.onSettled = (sender, ok, retryAfterMs) => {
    inFlight[sender]!--;
    if (!ok && retryAfterMs !== undefined) {
      // Refused by a rate limit: that sender waits as told (counted in errors, never retried in a loop).
      paused.add(sender);
      setTimeout(() => {
        paused.delete(sender);
        pump(sender);
      }, retryAfterMs);
      return;
    }
    pump(sender);
  };
  room.onDelivery = () => {
    if (blocked && outstanding() < globalCap) {
      blocked = false;
      for (let s = 0; s < job.senders; s++) pump(s);
    }
  };
  for (let s = 0; s < job.senders; s++) pump(s);
  await Bun.sleep(job.warmupMs);
  const from = edge(job.serverPids ?? job.serverPid);
  const deliveriesFrom = room.deliveries;
  const ackedFrom = room.totalAcked;
  await Bun.sleep(job.durationMs);
  const to = edge(job.serverPids ?? job.serverPid);
  const deliveries = room.deliveries - deliveriesFrom;
  const acked = room.totalAcked - ackedFrom;
  stopped = true;
  await room.drain(15_000);
  room.close();

  const window = span(from, to);
  return {
    scenario: job.scenario,
    target: job.target,
    problems: room.problems,
    metrics: {
      members: job.members.length,
      senders: job.senders,
      deliveriesPerSecond: Math.round(deliveries / window.seconds),
      messagesPerSecond: Math.round(acked / window.seconds),
      cpuMicrosPerDelivery: deliveries ? Math.round((window.serverCpuMicros / deliveries) * 1000) / 1000 : 0,
      serverCpuPercent: window.serverCpuPercent,
      clientCpuPercent: window.clientCpuPercent,
      serverWaitMsPerS: window.serverWaitMsPerS,
      clientWaitMsPerS: window.clientWaitMsPerS,
      ackedTotal: room.totalAcked,
      reactionsAcked: Array.from(room.reactionsAcked).reduce((a, b) => a + b, 0),
      p50ms: room.latency.summary().p50,
      p99ms: room.latency.summary().p99,
    },
    details: { errors: Object.fromEntries(room.errors), ackedPerSender: Array.from(room.acked), sentPerSender: Array.from(room.sent) },
  };
}
