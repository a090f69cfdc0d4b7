// A real WebSocket client for tests: buffers every event, waits for the ones a test expects, and
// offers a barrier (a ping round trip) after which anything the server had published to this
// socket has arrived, so "did NOT receive" can be asserted without sleeping.
import type { AckEvent, ClientRequest, ErrorEvent, MessagePost, PostedMessage, ReadyEvent, Replies, RequestType, ServerEvent } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

type Waiter = { match: (event: ServerEvent) => boolean; resolve: (event: ServerEvent) => void };

let nextRequest = 0;

export class TestSocket {
  readonly events: ServerEvent[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Waiter[] = [];
  ready!: ReadyEvent;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (message) => {
      const event = JSON.parse(String(message.data)) as ServerEvent;
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(event)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  }

  static async connect(server: TestServer, cookie: string, origin = server.origin): Promise<TestSocket> {
    const ws = new WebSocket(server.wsUrl, { headers: { cookie, origin }, tls: { rejectUnauthorized: false } } as unknown as string[]);
    const socket = new TestSocket(ws);
    const ready = socket.next((e): e is ReadyEvent => e.type === "ready");
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new Error("socket failed to open")), { once: true });
    });
    socket.ready = await ready;
    return socket;
  }

  /** The first buffered or future event matching `match`. */
  next<T extends ServerEvent>(match: (event: ServerEvent) => event is T): Promise<T>;
  next(match: (event: ServerEvent) => boolean): Promise<ServerEvent>;
  next(match: (event: ServerEvent) => boolean): Promise<ServerEvent> {
    const found = this.events.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Waits for an event of `type` (optionally matching more), already received or still to come. */
  nextOf<K extends ServerEvent["type"]>(type: K, also: (event: Extract<ServerEvent, { type: K }>) => boolean = () => true) {
    return this.next((e): e is Extract<ServerEvent, { type: K }> => e.type === type && also(e as Extract<ServerEvent, { type: K }>));
  }

  sendRaw(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  send(request: ClientRequest | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(request));
  }

  /** Sends a request with a fresh requestId; resolves with its ack or its error event. */
  async request<K extends RequestType>(request: Extract<ClientRequest, { type: K }> | (Record<string, unknown> & { type: K })) {
    const requestId = `r${++nextRequest}`;
    const answer = this.next((e) => (e.type === "ack" || e.type === "error") && e.requestId === requestId);
    this.send({ ...request, requestId });
    return (await answer) as (AckEvent<K> & { type: "ack" }) | ErrorEvent;
  }

  /** Like request(), but fails the test unless the answer is an ack. */
  async ok<K extends RequestType>(request: Extract<ClientRequest, { type: K }>): Promise<Replies[K]> {
    const answer = await this.request<K>(request);
    if (answer.type !== "ack") throw new Error(`${request.type} failed: ${answer.code}: ${answer.message}`);
    return answer as unknown as Replies[K];
  }

  /**
   * Posts (failing the test unless acked) and resolves with the message as the room got it: a post's
   * ack names it (carrying it only for a duplicate) and its `message.created` reaches this socket too.
   */
  async post(request: MessagePost): Promise<PostedMessage> {
    const ack = await this.ok<"message.post">(request);
    if (ack.duplicate) return { message: ack.message, duplicate: true };
    const created = await this.nextOf("message.created", (e) => e.message.id === ack.messageId);
    return { message: created.message, duplicate: false };
  }

  /** After this resolves, everything the server published to this socket before has arrived. */
  async barrier(): Promise<void> {
    await this.ok({ type: "ping" });
  }

  of<K extends ServerEvent["type"]>(type: K): Extract<ServerEvent, { type: K }>[] {
    return this.events.filter((e): e is Extract<ServerEvent, { type: K }> => e.type === type);
  }

  close(): void {
    this.ws.close();
  }
}

export async function userWithSocket(server: TestServer, options: Parameters<typeof createTestUser>[1] = {}) {
  const user: TestUser = await createTestUser(server.deps, options);
  const socket = await TestSocket.connect(server, user.cookie);
  return { user, socket };
}

/** An HTTP request against the listening server with a user's cookie and our Origin. */
export function api(server: TestServer, user: { cookie: string } | null, path: string, init: { method?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = { origin: server.origin };
  if (user) headers.cookie = user.cookie;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return fetch(server.url + path, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    tls: { rejectUnauthorized: false },
  });
}

export const uuid = () => crypto.randomUUID();

/**
 * `user` accepts the invitation to `roomId` waiting for them, as they would click Accept: someone they
 * had never talked to added them or opened a DM with them (issue 21 §4). Nothing when none waits
 * (they knew the inviter and were added at once).
 */
export async function acceptInvitation(server: TestServer, user: { cookie: string }, roomId: number): Promise<void> {
  const res = await api(server, user, `/api/requests/${roomId}/accept`, { method: "POST" });
  if (res.status !== 200 && res.status !== 404) throw new Error(`accepting ${roomId}: ${res.status} ${await res.text()}`);
}
