// A side client that asks for things which never touch the disk while another load writes: history
// pages, typing indicators and `ping`s, each on its own socket, one request at a time on a fixed
// schedule, timing each round trip (request frame out, `ack` back).
//
// `ping` is answered by the handler at once, so its round trip is the time the server's event loop
// took to get to the frame: its maximum is the event-loop stall max seen from outside (the server
// exposes no loop-lag figure, and a bench-only hook in src/ is not wanted). With a ping every
// `pingEveryMs`, any stall longer than that holds a ping and shows up whole in its round trip.
import { Histogram } from "./histogram.ts";
import type { Member } from "./job.ts";
import { classify, openSocket } from "./wire.ts";

export interface SideProbeOptions {
  port: number;
  roomId: number;
  /** Three members of the room: one socket each for history, typing and ping (separate rate buckets). */
  members: [Member, Member, Member];
  historyEveryMs: number;
  typingEveryMs: number;
  pingEveryMs: number;
  pageSize: number;
}

/** Round trips, µs, of the requests sent while `recording`. */
export class SideProbe {
  readonly history = new Histogram();
  readonly typing = new Histogram();
  readonly ping = new Histogram();
  readonly problems: string[] = [];
  /** Only round trips of requests sent while this is true count. */
  recording = false;
  private stopped = false;
  private sockets: WebSocket[] = [];

  constructor(private readonly options: SideProbeOptions) {}

  async start(): Promise<void> {
    const { port, roomId, members, historyEveryMs, typingEveryMs, pingEveryMs, pageSize } = this.options;
    const kinds = [
      { histogram: this.history, everyMs: historyEveryMs, request: { type: "history", roomId, limit: pageSize } },
      { histogram: this.typing, everyMs: typingEveryMs, request: { type: "typing.start", roomId } },
      { histogram: this.ping, everyMs: pingEveryMs, request: { type: "ping" } },
    ];
    await Promise.all(
      kinds.map(async ({ histogram, everyMs, request }, i) => {
        let waiting: ((frame: string) => void) | null = null;
        const ws = await openSocket("vaultroom", port, members[i]!, "", (frame) => {
          // Deliveries and typing events of the room arrive here too: only replies matter.
          const kind = classify("vaultroom", frame).kind;
          if (kind === "ack" || kind === "error") waiting?.(frame);
        });
        this.sockets.push(ws);
        void this.loop(ws, histogram, everyMs, request, (resolve) => (waiting = resolve));
      }),
    );
  }

  /**
   * One request in flight; the next leaves on the next tick of the schedule (at once if the reply
   * was late), so a stall is measured once, not hidden by a slower sender.
   */
  private async loop(
    ws: WebSocket,
    histogram: Histogram,
    everyMs: number,
    request: Record<string, unknown>,
    onReply: (resolve: (frame: string) => void) => void,
  ): Promise<void> {
    let n = 0;
    let next = performance.now();
    const type = String(request.type);
    while (!this.stopped) {
      const requestId = `p${++n}`;
      const counted = this.recording;
      const started = performance.now();
      const frame = await new Promise<string>((resolve) => {
        onReply(resolve);
        ws.send(JSON.stringify({ ...request, requestId }));
      });
      const micros = (performance.now() - started) * 1000;
      if (this.stopped) return;
      if (!frame.startsWith('{"type":"ack"') || !frame.includes(`"requestId":"${requestId}"`)) {
        if (this.problems.length < 10) this.problems.push(`${type} failed: ${frame.slice(0, 160)}`);
      } else if (counted) histogram.record(micros);
      next += everyMs;
      const wait = next - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      else next = performance.now();
    }
  }

  stop(): void {
    this.stopped = true;
    for (const ws of this.sockets) ws.close();
  }
}
