// The HTTPS servers behind the TLS front. Bun.serve cannot change its certificate (front-door.ts), so a
// new certificate means a new server on another loopback port: the front sends new connections to it,
// and the old one stops accepting but keeps what it has, WebSockets included, until they end on their
// own (the Hub publishes to both meanwhile: ws/broadcast.ts). Nothing is cut, nobody reconnects.
import type { Server } from "bun";

const RETIRE_AFTER_MS = 1000;

export interface TlsPair {
  cert: string;
  key: string;
}

/** Starts the app on a free loopback port with this certificate (server.ts wraps app.listen). */
export type ListenBackend = (tls: TlsPair) => Server<unknown>;

export class HttpsBackends {
  private current: Server<unknown>;
  private readonly retired: Server<unknown>[] = [];

  constructor(private readonly listen: ListenBackend, first: TlsPair) {
    this.current = listen(first);
  }

  get port(): number {
    return this.current.port!;
  }

  /** From now on new connections get this certificate; open ones keep theirs. */
  use(pair: TlsPair): void {
    const next = this.listen(pair); // throws (and changes nothing) when the pair is unusable
    const previous = this.current;
    this.current = next;
    this.retired.push(previous);
    // Not at once: a connection the front routed a moment ago may still be on its way to it.
    setTimeout(() => void previous.stop(false), RETIRE_AFTER_MS).unref();
  }

  /** Retired servers first: the newest one is stopped by the app itself, which runs its stop hooks. */
  async stopRetired(): Promise<void> {
    await Promise.all(this.retired.splice(0).map((server) => server.stop(true)));
  }

  /** When the front could not open: nothing else will stop the first server. */
  async stopAll(): Promise<void> {
    await this.stopRetired();
    await this.current.stop(true);
  }
}
