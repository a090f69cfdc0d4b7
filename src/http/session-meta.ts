// Where a request came from: the socket's peer address (never X-Forwarded-For, which any client can
// set) and the user agent, trimmed. Used for session lists, rate limits and the audit log.
import type { Server } from "elysia/universal";
import type { RequestMeta } from "../accounts/accounts.ts";
import { peerAddresses } from "../tls/peer-addresses.ts";

export function clientIp(request: Request, server: Pick<Server, "requestIP"> | null | undefined): string {
  const peer = server?.requestIP?.(request);
  // With --domain, connections arrive through the TLS front on loopback; it knows who is behind them.
  const address = (peer && peerAddresses.lookup(peer.address, peer.port)) ?? peer?.address ?? "";
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

export function requestMeta(request: Request, server: Pick<Server, "requestIP"> | null | undefined): RequestMeta {
  return { ip: clientIp(request, server), userAgent: (request.headers.get("user-agent") ?? "").slice(0, 256) };
}
