// The TLS front: with --domain, the public HTTPS port belongs to this small TCP relay instead of to
// Bun.serve. It reads the ClientHello (sent in the clear), then hands the whole connection, bytes
// untouched, to a TLS server on loopback: ACME's TLS-ALPN-01 validation (ALPN "acme-tls/1" for a name
// being validated) to that challenge's responder, everything else to the current HTTPS server.
//
// Why (Bun 1.4.4, checked with `openssl s_client -alpn`): Bun.serve never negotiates ALPN (its
// `tls.ALPNProtocols` is ignored; oven-sh/bun#33487 is unmerged), so it cannot answer TLS-ALPN-01; and
// `server.reload({ tls })` keeps the old certificate (oven-sh/bun#43815), so a renewed certificate
// needs a new server. Behind the front, a new server takes new connections while WebSockets stay
// open on the old one (https-backends.ts). Bun.listen and node:tls do negotiate ALPN, which is what
// the challenge responder uses.
//
// The relay uses node:net's pipe() for its backpressure: a slow reader pauses the other side instead
// of making the front buffer a whole download. Clients' addresses reach the app through
// peer-addresses.ts. Cost: every byte is copied through JS once more (see the README's numbers).
import net from "node:net";
import { MAX_CLIENT_HELLO, peekClientHello, type ClientHelloPeek } from "./client-hello.ts";
import { peerAddresses, type PeerEntry } from "./peer-addresses.ts";

/** A client that has not finished its ClientHello by then is dropped (Bun.serve's own timeouts apply after). */
const HELLO_TIMEOUT_MS = 10_000;
/** How long the server's last bytes may take to reach a client once the server has closed. */
const DRAIN_MS = 5_000;

export interface FrontDoor {
  port: number;
  /** Stops accepting new connections; relayed ones go on. */
  close(): Promise<void>;
  /** Waits (at most `ms`) for relayed connections to end, e.g. after the servers behind said 1001; then cuts the rest. */
  drain(ms: number): Promise<void>;
}

/** Where a connection goes: a loopback port, chosen from what the client said in its ClientHello. */
export type Route = (hello: ClientHelloPeek) => number;

export async function openFrontDoor(hostname: string, port: number, route: Route): Promise<FrontDoor> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    client.setNoDelay(true);
    greet(client, route, open);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: hostname, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closed;
    },
    async drain(ms) {
      const deadline = Date.now() + ms;
      while (open.size > 0 && Date.now() < deadline) await Bun.sleep(10);
      for (const socket of open) socket.destroy();
    },
  };
}

function greet(client: net.Socket, route: Route, open: Set<net.Socket>): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => client.destroy(), HELLO_TIMEOUT_MS);
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    const first = Buffer.concat(chunks, size);
    const hello = size > MAX_CLIENT_HELLO ? ({ kind: "other" } as const) : peekClientHello(first);
    if (hello.kind === "partial") return;
    client.off("data", onData);
    client.pause();
    clearTimeout(timer);
    relay(client, first, route(hello), open);
  };
  client.on("data", onData);
  client.on("close", () => clearTimeout(timer));
}

function relay(client: net.Socket, first: Buffer, port: number, open: Set<net.Socket>): void {
  if (client.destroyed) return;
  const upstream = net.connect({ host: "127.0.0.1", port, noDelay: true });
  open.add(upstream);
  const entry: PeerEntry = { address: client.remoteAddress ?? "" };
  let localPort: number | null = null;
  upstream.on("connect", () => {
    // Registered before the first byte is forwarded, so the server can never see a request first.
    localPort = upstream.localPort ?? null;
    if (localPort !== null) peerAddresses.set(localPort, entry);
    upstream.write(first);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  });
  const abort = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.on("error", abort);
  client.on("error", abort);
  upstream.on("close", () => {
    open.delete(upstream);
    if (localPort !== null) peerAddresses.delete(localPort, entry);
    // pipe() has ended the client after the server's last bytes (a WebSocket's 1001, a TLS alert):
    // let them drain, but do not wait on a client that stopped reading.
    client.end();
    setTimeout(() => client.destroy(), DRAIN_MS).unref();
  });
  client.on("close", () => upstream.destroy());
}
