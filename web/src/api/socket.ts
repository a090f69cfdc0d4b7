// The one socket of this tab: connects to /ws, reconnects with exponential backoff and jitter,
// answers requests by requestId, and reports its status for the "reconnecting…" banner.
// What to do after a (re)connect (sync, resend) is the chat store's business, told via onReady.
import { createSignal } from "solid-js";
import type { AckEvent, ClientRequest, ErrorEvent, ReadyEvent, Replies, RequestType, ServerEvent } from "../chat/protocol.ts";
import { CLOSE_SESSION_ENDED, SOCKET_IDLE_TIMEOUT_SECONDS } from "../chat/protocol.ts";

export type SocketStatus = "connecting" | "open" | "reconnecting" | "stopped";

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 15 s, with full jitter. */
export function backoffDelay(attempt: number, random = Math.random): number {
  const ceiling = Math.min(15_000, 500 * 2 ** Math.min(attempt, 10));
  // Half fixed, half random: spreads a crowd of tabs reconnecting after a restart.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A request gets this long for its answer while the socket is open. */
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * The server closes a socket that has been silent for its idle timeout. Pinging every third of it
 * keeps a quiet connection open with room for one late ping, and finds a dead one (no answer within
 * REQUEST_TIMEOUT_MS) long before the server would give up on it.
 */
export const PING_INTERVAL_MS = (SOCKET_IDLE_TIMEOUT_SECONDS * 1000) / 3;

type Outgoing = ClientRequest extends infer R ? (R extends ClientRequest ? Omit<R, "requestId"> : never) : never;

interface Waiting {
  resolve: (ack: AckEvent) => void;
  reject: (error: RequestError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface SocketHandlers {
  onEvent(event: ServerEvent): void;
  /** The `ready` frame of each connection; `reconnected` is false on the first one. */
  onReady(event: ReadyEvent, reconnected: boolean): void;
  /** The server closed the socket because this session ended; `reason` is the close frame's (why it ended). */
  onSessionEnded(reason: string): void;
  /** The connection keeps failing; maybe the session is gone (an upgrade refused with 401). */
  onConnectFailed(): void;
}

export interface SocketOptions {
  url: string;
  requestTimeoutMs: number;
  pingIntervalMs: number;
  /** Delay before reconnect attempt `attempt` (0-based); tests shorten it. */
  backoff: (attempt: number) => number;
}

export function createSocket(handlers: SocketHandlers, options: Partial<SocketOptions> = {}) {
  const { url = defaultUrl(), requestTimeoutMs = REQUEST_TIMEOUT_MS, pingIntervalMs = PING_INTERVAL_MS, backoff = backoffDelay } = options;
  const [status, setStatus] = createSignal<SocketStatus>("connecting");
  let socket: WebSocket | null = null;
  let attempt = 0;
  let everReady = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let nextRequest = 0;
  const waiting = new Map<string, Waiting>();

  function failAll(reason: string) {
    for (const [id, entry] of waiting) {
      clearTimeout(entry.timer);
      entry.reject(new RequestError("disconnected", reason));
      waiting.delete(id);
    }
  }

  function connect() {
    if (stopped) return;
    retryTimer = null;
    const ws = new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
    };
    ws.onmessage = (message) => {
      let event: ServerEvent;
      try {
        event = JSON.parse(String(message.data)) as ServerEvent;
      } catch {
        return;
      }
      if (event.type === "ready") {
        attempt = 0;
        setStatus("open");
        handlers.onReady(event, everReady);
        everReady = true;
        return;
      }
      if (event.type === "ack" || (event.type === "error" && event.requestId)) {
        const entry = event.requestId ? waiting.get(event.requestId) : undefined;
        if (entry) {
          waiting.delete(event.requestId!);
          clearTimeout(entry.timer);
          if (event.type === "ack") entry.resolve(event);
          else entry.reject(new RequestError(event.code, event.message, (event as ErrorEvent).retryAfterMs));
          return;
        }
      }
      handlers.onEvent(event);
    };
    ws.onclose = (close) => lost(ws, opened, close.code, close.reason);
  }

  /** The connection `ws` is gone (closed, or silent past a ping): reconnect unless told not to. */
  function lost(ws: WebSocket, opened: boolean, code: number, reason = "") {
    if (socket !== ws) return;
    socket = null;
    ws.onclose = ws.onmessage = ws.onopen = null;
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(4000);
    failAll("closed");
    if (stopped) return;
    if (code === CLOSE_SESSION_ENDED) {
      stop();
      handlers.onSessionEnded(reason);
      return;
    }
    setStatus(everReady ? "reconnecting" : "connecting");
    // A refused upgrade (e.g. 401) looks like any network failure from here: ask the caller to check.
    if (!opened || attempt >= 2) handlers.onConnectFailed();
    retryTimer = setTimeout(connect, backoff(attempt++));
  }

  // Browsers cannot see protocol pings: an application ping finds a connection that died silently
  // (a laptop waking up, a NAT that forgot us) and replaces it.
  const pinger = setInterval(() => {
    const ws = socket;
    if (!ws || status() !== "open") return;
    request({ type: "ping" }).catch((error: RequestError) => {
      if (error.code === "timeout") lost(ws, true, 4000);
    });
  }, pingIntervalMs);

  function stop() {
    stopped = true;
    clearInterval(pinger);
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    setStatus("stopped");
    const ws = socket;
    socket = null;
    ws?.close(1000);
    failAll("stopped");
  }

  /** The browser says the network is gone: do not wait for a ping to time out to say so. */
  function drop() {
    if (socket) lost(socket, true, 4000);
  }

  /** Reconnect now instead of waiting out the backoff (the network came back, the tab woke up). */
  function nudge() {
    if (stopped || socket || !retryTimer) return;
    clearTimeout(retryTimer);
    connect();
  }

  function request<K extends RequestType>(frame: Extract<Outgoing, { type: K }>): Promise<AckEvent<K> & Replies[K]> {
    return new Promise((resolve, reject) => {
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN || status() !== "open") {
        reject(new RequestError("disconnected", "not connected"));
        return;
      }
      const requestId = `r${++nextRequest}`;
      const timer = setTimeout(() => {
        waiting.delete(requestId);
        reject(new RequestError("timeout", "no answer"));
      }, requestTimeoutMs);
      waiting.set(requestId, { resolve: resolve as (ack: AckEvent) => void, reject, timer });
      ws.send(JSON.stringify({ ...frame, requestId }));
    });
  }

  /** Fire and forget (typing): nothing is sent while disconnected. */
  function send(frame: Outgoing): void {
    if (socket?.readyState === WebSocket.OPEN && status() === "open") socket.send(JSON.stringify(frame));
  }

  connect();
  return { status, request, send, stop, nudge, drop };
}

export type ChatSocket = ReturnType<typeof createSocket>;

function defaultUrl(): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;
}
