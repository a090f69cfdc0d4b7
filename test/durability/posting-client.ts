// A chat client that posts as fast as the server acknowledges and keeps a ledger of what it sent and
// what the server acknowledged, so a test can compare that ledger with the database after a crash.
import type { RegisteredUser, ServerProcess } from "./server-process.ts";

export interface Sent {
  clientId: string;
  authorId: number;
  roomId: number;
  body: string;
  /** A reply in this thread (issue 11); absent for a plain message. */
  threadRootId?: number;
  /** A reaction (issue 11) with this emoji to `messageId` instead of a message: clientId is only its request id. */
  reaction?: { messageId: number; emoji: string };
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
        messageId?: number;
        duplicate?: boolean;
        code?: string;
        retryAfterMs?: number;
      };
      if (!event.requestId) return;
      const waiter = this.waiting.get(event.requestId);
      if (!waiter) return;
      this.waiting.delete(event.requestId);
      // A post's ack names the message stored; a reaction's, the message reacted to.
      if (event.type === "ack") waiter.resolve({ kind: "acked", id: event.messageId ?? 0, duplicate: event.duplicate === true });
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
        const frame = sent.reaction
          ? { type: "reaction.add", requestId: sent.clientId, messageId: sent.reaction.messageId, emoji: sent.reaction.emoji }
          : {
              type: "message.post",
              requestId: sent.clientId,
              roomId: sent.roomId,
              clientId: sent.clientId,
              body: sent.body,
              ...(sent.threadRootId !== undefined ? { threadRootId: sent.threadRootId } : {}),
            };
        this.ws.send(JSON.stringify(frame));
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
