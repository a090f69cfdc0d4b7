// A TLS server on loopback that only completes handshakes: it presents one certificate and selects one
// ALPN protocol. The TLS front sends ACME's TLS-ALPN-01 validation connections here (RFC 8737: the
// validator offers only "acme-tls/1", checks the certificate's acmeIdentifier extension and closes).
// Bun.listen does negotiate ALPN, unlike Bun.serve (front-door.ts says why that matters).
import type { TCPSocketListener } from "bun";

/** Nothing to say after the handshake; a connection that lingers is closed after this. */
const IDLE_SECONDS = 10;

export interface AlpnResponder {
  port: number;
  stop(): void;
}

export function startAlpnResponder(cert: string, key: string, protocol: string): AlpnResponder {
  const name = Buffer.from(protocol);
  // ALPN's wire format (RFC 7301): each protocol name preceded by its length.
  const ALPNProtocols = Buffer.concat([Buffer.from([name.length]), name]);
  const listener: TCPSocketListener<undefined> = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert, key, ALPNProtocols },
    socket: {
      open(socket) {
        socket.timeout(IDLE_SECONDS);
      },
      data() {},
      timeout(socket) {
        socket.end();
      },
      error() {},
    },
  });
  return { port: listener.port, stop: () => listener.stop(true) };
}
