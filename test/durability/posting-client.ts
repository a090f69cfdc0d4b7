// A chat client that posts as fast as the server acknowledges and keeps a ledger of what it sent and
// what the server acknowledged, so a test can compare that ledger with the database after a crash.
import type { RegisteredUser, ServerProcess } from "./server-process.ts";

export interface Sent {
  clientId: string;
  authorId: number;
  roomId: number;
  body: string;
  /** Which connection sent it and in what order; the server must keep that order within a room. */
  connection: string;
  seq: number;
}

export type Outcome =
  | { kind: "acked"; id: number; duplicate: boolean }
  | { kind: "refused"; code: string; retryAfterMs: number }
  | { kind: "lost" };

interface Waiting {
  resolve: (outcome: Outcome) => void;
}

export class PostingClient {
  readonly closed: Promise<number>;
  private waiting = new Map<string, Waiting>();
  private isClosed = false;

  private constructor(
    private readonly ws: WebSocket,
    readonly user: RegisteredUser,
  ) {
    ws.addEventListener("message", (message) => {
      const event = JSON.parse(String(message.data)) as {
        type: string;
        requestId?: string;
        message?: { id: number };
        duplicate?: boolean;
        code?: string;
        retryAfterMs?: number;
      };
      if (!event.requestId) return;
      const waiter = this.waiting.get(event.requestId);
      if (!waiter) return;
      this.waiting.delete(event.requestId);
      if (event.type === "ack") waiter.resolve({ kind: "acked", id: event.message!.id, duplicate: event.duplicate === true });
      else waiter.resolve({ kind: "refused", code: event.code ?? "unknown", retryAfterMs: event.retryAfterMs ?? 0 });
    });
    this.closed = new Promise((resolve) =>
      ws.addEventListener("close", (event) => {
        this.isClosed = true;
        // Whatever was not answered before the socket went away is unknown to the client.
        for (const waiter of this.waiting.values()) waiter.resolve({ kind: "lost" });
        this.waiting.clear();
        resolve(event.code);
      }),
    );
  }

  static async connect(server: ServerProcess, user: RegisteredUser): Promise<PostingClient> {
    const ws = new WebSocket(server.wsUrl, {
      headers: { cookie: user.cookie, origin: server.origin },
      tls: { rejectUnauthorized: false },
    } as unknown as string[]);
    const client = new PostingClient(ws, user);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("message", function ready(message) {
        if ((JSON.parse(String(message.data)) as { type: string }).type === "ready") {
          ws.removeEventListener("message", ready);
          resolve();
        }
      });
      ws.addEventListener("close", (event) => reject(new Error(`socket closed before ready: ${event.code} ${event.reason}`)), { once: true });
    });
    return client;
  }

  get open(): boolean {
    return !this.isClosed;
  }

  /** Posts one message; the clientId doubles as the requestId, so a resend is recognisable. */
  post(sent: Sent): Promise<Outcome> {
    if (this.isClosed) return Promise.resolve({ kind: "lost" });
    return new Promise((resolve) => {
      this.waiting.set(sent.clientId, { resolve });
      try {
        this.ws.send(JSON.stringify({ type: "message.post", requestId: sent.clientId, roomId: sent.roomId, clientId: sent.clientId, body: sent.body }));
      } catch {
        this.waiting.delete(sent.clientId);
        resolve({ kind: "lost" });
      }
    });
  }

  close(): void {
    this.ws.close(1000);
  }
}
