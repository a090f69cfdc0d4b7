// How the load client speaks to each server. A message's body carries a marker with its sender, its
// sequence number and the time it was MEANT to be sent (open loop: not when it actually left), so
// every member can compute latency and check that nothing was lost, duplicated or reordered.
// Parsing is by prefix and indexOf, not JSON.parse: at 100k deliveries/s the client must stay cheap.
import type { TargetKind } from "./servers.ts";

export const BODY_LENGTH = Number(process.env.BENCH_BODY_LENGTH ?? 100);

export interface Marker {
  sender: number;
  seq: number;
  /** Intended send time, microseconds on the client's performance clock. */
  t: number;
}

/** `word` (the notify scenarios' `@name`) follows the marker; the padding keeps the length. */
export function body(sender: number, seq: number, intendedMicros: number, word = ""): string {
  const head = `~m${sender}:${seq}:${Math.round(intendedMicros)}~${word ? ` ${word} ` : ""}`;
  return head + "x".repeat(Math.max(0, BODY_LENGTH - head.length));
}

/** Finds the marker in a frame (a VaultRoom JSON event or the floor's raw body). */
export function parseMarker(frame: string): Marker | null {
  const start = frame.indexOf("~m");
  if (start < 0) return null;
  const end = frame.indexOf("~", start + 2);
  const parts = frame.slice(start + 2, end).split(":");
  return { sender: Number(parts[0]), seq: Number(parts[1]), t: Number(parts[2]) };
}

/** A UUID that names (run, sender, seq): lets the harness find every acked message in the database. */
export function clientId(run: number, sender: number, seq: number): string {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  return `${hex(run, 8)}-${hex(sender, 4)}-4000-8000-${hex(seq, 12)}`;
}

export function postFrame(
  kind: TargetKind,
  roomId: number,
  run: number,
  sender: number,
  seq: number,
  intendedMicros: number,
  threadRootId?: number,
  word?: string,
): string {
  const text = body(sender, seq, intendedMicros, word);
  // The floor and the peers relay the raw body.
  if (kind !== "vaultroom") return text;
  const thread = threadRootId === undefined ? "" : `,"threadRootId":${threadRootId}`;
  // requestId = seq: the ack names the message it confirms.
  return `{"type":"message.post","requestId":"${seq}","roomId":${roomId},"clientId":"${clientId(run, sender, seq)}","body":"${text}"${thread}}`;
}

/** A reaction toggled by `sender` on `messageId` (requestId "r<seq>": its ack is a reaction's). */
export function reactionFrame(messageId: number, emoji: string, add: boolean, seq: number): string {
  return `{"type":"${add ? "reaction.add" : "reaction.remove"}","requestId":"r${seq}","messageId":${messageId},"emoji":"${emoji}"}`;
}

export type Frame =
  | { kind: "delivery"; marker: Marker }
  | { kind: "reaction" }
  | { kind: "ack"; requestId: string; frame: string }
  | { kind: "error"; code: string; requestId: string | undefined; retryAfterMs: number | undefined }
  | { kind: "ready" }
  | { kind: "other" };

const OTHER: Frame = { kind: "other" };
const READY: Frame = { kind: "ready" };
const REACTION: Frame = { kind: "reaction" };

export function classify(kind: TargetKind, frame: string): Frame {
  if (kind !== "vaultroom") {
    if (frame === "ready") return READY;
    const marker = parseMarker(frame);
    return marker ? { kind: "delivery", marker } : OTHER;
  }
  // JSON.stringify writes `type` first: {"type":"...
  if (frame.startsWith('{"type":"message.created"')) {
    const marker = parseMarker(frame);
    return marker ? { kind: "delivery", marker } : OTHER;
  }
  if (frame.startsWith('{"type":"reaction.changed"')) return REACTION;
  if (frame.startsWith('{"type":"ack","requestId":"')) {
    const start = 27;
    return { kind: "ack", requestId: frame.slice(start, frame.indexOf('"', start)), frame };
  }
  if (frame.startsWith('{"type":"error"')) {
    const event = JSON.parse(frame) as { code: string; requestId?: string; retryAfterMs?: number };
    return { kind: "error", code: event.code, requestId: event.requestId, retryAfterMs: event.retryAfterMs };
  }
  if (frame.startsWith('{"type":"ready"')) return READY;
  return OTHER;
}

/** What a room run needs of a connection: a WebSocket, or the socket.io client's adapter. */
export interface RoomSocket {
  send(data: string): void;
  close(): void;
  onclose: ((event: CloseEvent) => void) | null;
}

export interface Identity {
  /** `name=value` of a VaultRoom session cookie; unused by the floor. */
  cookie?: string;
}

/**
 * Opens one socket and resolves once the server says it is ready (VaultRoom's `ready` event, the
 * floor's "ready"). `room` picks the floor's topic; VaultRoom subscribes by membership.
 */
export function openSocket(
  kind: TargetKind,
  port: number,
  identity: Identity,
  room: string,
  onFrame: (frame: string) => void,
  timeoutMs = 30_000,
): Promise<WebSocket> {
  const url = kind !== "vaultroom" ? `wss://127.0.0.1:${port}/ws?room=${encodeURIComponent(room)}` : `wss://127.0.0.1:${port}/ws`;
  const headers: Record<string, string> = { origin: `https://127.0.0.1:${port}` };
  if (identity.cookie) headers.cookie = identity.cookie;
  return new Promise((resolve, reject) => {
    // Bun's WebSocket takes headers and tls options (not in the DOM type).
    const ws = new WebSocket(url, { headers, tls: { rejectUnauthorized: false } } as unknown as string[]);
    let ready = false;
    const timer = setTimeout(() => {
      if (!ready) {
        ws.close();
        reject(new Error(`socket not ready within ${timeoutMs} ms`));
      }
    }, timeoutMs);
    ws.onmessage = (event) => {
      const frame = event.data as string;
      if (!ready) {
        if (classify(kind, frame).kind !== "ready") return;
        ready = true;
        clearTimeout(timer);
        ws.onmessage = (next) => onFrame(next.data as string);
        resolve(ws);
        return;
      }
    };
    ws.onclose = (event) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`socket closed before ready: ${event.code} ${event.reason}`));
      }
    };
    ws.onerror = () => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error("socket error before ready"));
      }
    };
  });
}

/** Opens many sockets with at most `parallel` handshakes at once. */
export async function openMany<T, S = WebSocket>(
  items: T[],
  parallel: number,
  open: (item: T, index: number) => Promise<S>,
): Promise<S[]> {
  const sockets: S[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      sockets[index] = await open(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return sockets;
}
