// Behind the TLS front (front-door.ts) the HTTPS server sees every connection coming from the front's
// own loopback socket. The front records, per loopback source port, the address of the client it
// relays, before it forwards a single byte; clientIp() reads it back, so rate limits, sessions and the
// audit log keep seeing real addresses. Only connections the front made are in the table: anything
// else that reaches the internal port directly is reported as the loopback address it is.

/** One relayed connection; compared by identity, since a source port is reused after a close. */
export interface PeerEntry {
  readonly address: string;
}

const byLocalPort = new Map<number, PeerEntry>();

export const peerAddresses = {
  set(localPort: number, entry: PeerEntry): void {
    byLocalPort.set(localPort, entry);
  },
  delete(localPort: number, entry: PeerEntry): void {
    if (byLocalPort.get(localPort) === entry) byLocalPort.delete(localPort);
  },
  /** The real client behind a loopback peer, or null when the peer is not one of the front's sockets. */
  lookup(address: string, port: number): string | null {
    if (address !== "127.0.0.1" && address !== "::ffff:127.0.0.1") return null;
    return byLocalPort.get(port)?.address ?? null;
  },
  get size(): number {
    return byLocalPort.size;
  },
};
