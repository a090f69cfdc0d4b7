// One room of members under load, as the load client sees it: every member's socket, who sent what,
// which acks came back, and what each member received. The checks at the end are the harness's
// correctness promise: every acknowledged message reached every member exactly once, in order.
import { Histogram } from "./histogram.ts";
import type { NotifyLoad } from "./job.ts";
import type { TargetKind } from "./servers.ts";
import { openSocketIo } from "./socketio-client.ts";
import { classify, openMany, openSocket, postFrame, type Identity, type Marker, type RoomSocket } from "./wire.ts";

export interface RoomRunOptions {
  kind: TargetKind;
  port: number;
  /** --cluster: member i connects to ports[i % ports.length] (senders are members, so they spread too). */
  ports?: number[];
  /** VaultRoom: the room's id; the floor: its topic. */
  roomId: number;
  members: Identity[];
  /** Members 0..senders-1 also send. */
  senders: number;
  /** Distinguishes this run's client ids from any other's. */
  run: number;
  /** --cluster's node kill: a socket closing is expected, not a problem (see `lost`). */
  mayLoseServer?: boolean;
  /**
   * The frame a sender's `seq`-th request is, when not a plain message (the conversation mix:
   * thread replies and reactions); null for a plain message.
   */
  frame?: (sender: number, seq: number, intendedMicros: number) => string | null;
  /** The notify scenarios: visible tabs, and every message naming a member (job.ts). */
  notify?: NotifyLoad;
}

const now = () => performance.now() * 1000;

/** What a room scenario's job says about its room: the options of its RoomRun, `senders` of them sending. */
export function roomOptions(
  job: { target: TargetKind; port: number; ports?: number[]; roomId: number; members: Identity[]; run: number; notify?: NotifyLoad },
  senders: number,
): RoomRunOptions {
  const { target: kind, port, ports, roomId, members, run, notify } = job;
  return { kind, port, ports, roomId, members, senders, run, ...(notify ? { notify } : {}) };
}

export class RoomRun {
  readonly sockets: RoomSocket[] = [];
  readonly sent: Int32Array;
  readonly acked: Int32Array;
  readonly failed: Int32Array;
  /** Reactions acknowledged per sender (each one changes the message: one frame to every member). */
  readonly reactionsAcked: Int32Array;
  /** reaction.changed frames received, all members together. */
  reactionFrames = 0;
  /** Received messages per (member, sender): received[member * senders + sender]. */
  private readonly received: Int32Array;
  private readonly lastSeq: Float64Array;
  readonly latency = new Histogram();
  /**
   * Post → ack, µs, from the intended send time (VaultRoom acks after the commit, so this follows
   * the disk). Recorded only when `trackAcks` is set: it costs a map entry per message in flight.
   */
  readonly ackLatency = new Histogram();
  trackAcks = false;
  private readonly intended = new Map<string, number>();
  /** Only messages meant to be sent inside [from, to) count towards latency (µs). */
  window = { from: 0, to: Number.POSITIVE_INFINITY };
  deliveries = 0;
  readonly errors = new Map<string, number>();
  readonly problems: string[] = [];
  /** Called when a sender's message is acknowledged or refused (closed loops refill here). */
  onSettled: (sender: number, ok: boolean, retryAfterMs: number | undefined) => void = () => {};
  onDelivery: () => void = () => {};
  private closing = false;
  /** A socket closed under `mayLoseServer`: nothing more is sent, and drain() checks nothing. */
  lost = false;

  constructor(readonly options: RoomRunOptions) {
    const { members, senders } = options;
    this.sent = new Int32Array(senders);
    this.acked = new Int32Array(senders);
    this.failed = new Int32Array(senders);
    this.reactionsAcked = new Int32Array(senders);
    this.received = new Int32Array(members.length * senders);
    this.lastSeq = new Float64Array(members.length * senders).fill(-1);
  }

  async connect(parallel = 64): Promise<void> {
    const { kind, port, ports, roomId, members } = this.options;
    const portOf = (index: number) => (ports?.length ? ports[index % ports.length]! : port);
    const opened = await openMany<Identity, RoomSocket>(members, parallel, (identity, index) =>
      kind === "socketio"
        ? openSocketIo(portOf(index), String(roomId), (frame) => this.frame(index, frame))
        : openSocket(kind, portOf(index), identity, String(roomId), (frame) => this.frame(index, frame)),
    );
    opened.forEach((ws, index) => {
      ws.onclose = (event) => {
        if (this.options.mayLoseServer) this.lost = true;
        else if (!this.closing) this.problem(`member ${index}'s socket closed during the run: ${event.code} ${event.reason}`);
      };
    });
    this.sockets.push(...opened);
    // Every tab in front, as a person reading the room: each member's own tab notifies, so the server
    // decides per message that nobody needs a push (the decision the notify scenarios measure).
    if (this.options.notify && kind === "vaultroom") for (const ws of opened) ws.send('{"type":"client.visibility","visible":true}');
  }

  /** The member a sender's `seq`-th message names (never the sender: a self-mention is dropped). */
  private named(sender: number, seq: number): string | undefined {
    const notify = this.options.notify;
    if (!notify || this.options.kind !== "vaultroom") return undefined;
    const others = notify.usernames.length - 1;
    let index = (sender * 31 + seq) % others;
    if (index >= sender) index++;
    return `${notify.mention ? "@" : ""}${notify.usernames[index]}`;
  }

  /** Sends the next message of `sender`, stamped with the time it was meant to leave. */
  send(sender: number, intendedMicros = now()): void {
    const { kind, roomId, run } = this.options;
    if (this.lost) return;
    const seq = this.sent[sender]!++;
    if (this.trackAcks) this.intended.set(`${sender}:${seq}`, intendedMicros);
    const custom = kind === "vaultroom" ? this.options.frame?.(sender, seq, intendedMicros) : null;
    this.sockets[sender]!.send(custom ?? postFrame(kind, roomId, run, sender, seq, intendedMicros, undefined, this.named(sender, seq)));
  }

  get totalSent(): number {
    return sum(this.sent);
  }

  get totalAcked(): number {
    return sum(this.acked);
  }

  get totalSettled(): number {
    return sum(this.acked) + sum(this.failed) + sum(this.reactionsAcked);
  }

  private frame(member: number, frame: string): void {
    const { kind, senders } = this.options;
    const parsed = classify(kind, frame);
    switch (parsed.kind) {
      case "delivery":
        this.delivery(member, parsed.marker);
        // The floor and the peers have no acks: a sender's own copy coming back is its acknowledgement.
        if (kind !== "vaultroom" && parsed.marker.sender === member && member < senders) this.settle(member, true, undefined);
        return;
      case "reaction":
        this.reactionFrames++;
        this.deliveries++;
        this.onDelivery();
        return;
      case "ack":
        if (member >= senders) return;
        if (parsed.requestId.startsWith("r")) {
          // A reaction's ack: not a message, so not timed as one either.
          if (this.trackAcks) this.intended.delete(`${member}:${parsed.requestId.slice(1)}`);
          this.reactionsAcked[member]!++;
          this.settle(member, true, undefined, true);
        } else {
          if (this.trackAcks) this.ackSeen(member, parsed.requestId);
          this.settle(member, true, undefined);
        }
        return;
      case "error":
        this.errors.set(parsed.code, (this.errors.get(parsed.code) ?? 0) + 1);
        if (member < senders && parsed.requestId !== undefined) this.settle(member, false, parsed.retryAfterMs);
        return;
      default:
        return;
    }
  }

  private ackSeen(sender: number, requestId: string): void {
    const key = `${sender}:${requestId}`;
    const t = this.intended.get(key);
    if (t === undefined) return;
    this.intended.delete(key);
    if (t >= this.window.from && t < this.window.to) this.ackLatency.record(now() - t);
  }

  private settle(sender: number, ok: boolean, retryAfterMs: number | undefined, reaction = false): void {
    if (ok && !reaction) this.acked[sender]!++;
    else if (!ok) this.failed[sender]!++;
    this.onSettled(sender, ok, retryAfterMs);
  }

  private delivery(member: number, marker: Marker): void {
    const { senders } = this.options;
    const { sender, seq, t } = marker;
    if (!(sender >= 0 && sender < senders)) {
      this.problem(`member ${member} received a message from unknown sender ${sender}`);
      return;
    }
    const slot = member * senders + sender;
    if (seq <= this.lastSeq[slot]!)
      this.problem(`member ${member} received message ${sender}/${seq} after ${sender}/${this.lastSeq[slot]} (duplicate or out of order)`);
    this.lastSeq[slot] = seq;
    this.received[slot]!++;
    this.deliveries++;
    if (t >= this.window.from && t < this.window.to) this.latency.record(now() - t);
    this.onDelivery();
  }

  /**
   * Waits until every message sent has been acknowledged or refused, then until every member holds
   * every acknowledged message; records what is missing when `timeoutMs` runs out.
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    if (this.lost) return;
    while (this.totalSettled < this.totalSent && performance.now() < deadline) await Bun.sleep(20);
    if (this.totalSettled < this.totalSent)
      this.problem(`${this.totalSent - this.totalSettled} messages were never acknowledged or refused`);
    while (this.missing() > 0 && performance.now() < deadline) await Bun.sleep(20);
    const { members, senders } = this.options;
    let reported = 0;
    for (let m = 0; m < members.length; m++) {
      for (let s = 0; s < senders; s++) {
        const got = this.received[m * senders + s]!;
        const want = this.acked[s]!;
        if (got !== want && reported++ < 5) this.problem(`member ${m} received ${got} of sender ${s}'s ${want} acknowledged messages`);
      }
    }
    const reactions = sum(this.reactionsAcked) * members.length;
    if (this.reactionFrames !== reactions) this.problem(`members received ${this.reactionFrames} reaction frames for ${reactions} (acknowledged reactions × members)`);
  }

  /** Deliveries still owed: acknowledged messages and reactions times members, less what arrived. */
  missing(): number {
    return (this.totalAcked + sum(this.reactionsAcked)) * this.options.members.length - this.deliveries;
  }

  problem(text: string): void {
    if (this.problems.length < 20) this.problems.push(text);
  }

  close(): void {
    this.closing = true;
    for (const ws of this.sockets) ws.close();
  }
}

function sum(values: Int32Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
