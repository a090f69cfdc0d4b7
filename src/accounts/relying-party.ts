// Who we are to WebAuthn: the relying-party id is the server's DNS name (--domain if set, else the host
// of the first --origin, else "localhost"), and assertions are accepted only from our own origins.
// Browsers allow passkeys only on a secure context with a trusted certificate, or on localhost; never
// on a bare IP address (docs/SECURITY.md), which is why the web client hides them there.
import type { Config } from "../config.ts";

export interface RelyingParty {
  id: string;
  name: string;
  /** Origins a ceremony may come from (besides the request's own, when its host is the id). */
  origins: string[];
}

export function relyingParty(config: Pick<Config, "acme" | "origins" | "port">): RelyingParty {
  const id = config.acme?.domains[0] ?? (config.origins[0] ? new URL(config.origins[0]).hostname : "localhost");
  const own = config.port === 443 || config.port === 0 ? [`https://${id}`] : [`https://${id}`, `https://${id}:${config.port}`];
  return { id, name: "VaultRoom", origins: [...new Set([...config.origins, ...own])] };
}

/**
 * The origins to accept for one request: the configured ones, plus the page's own origin when it is
 * on the relying party's host (a port chosen at start, a test server). The request's Origin header
 * has already passed the same-origin guard (http/origin.ts), so it names this server as the browser
 * reached it.
 */
export function expectedOrigins(rp: RelyingParty, requestOrigin: string | null): string[] {
  if (!requestOrigin) return rp.origins;
  try {
    const url = new URL(requestOrigin);
    if (url.protocol === "https:" && url.hostname === rp.id) return [...new Set([...rp.origins, url.origin])];
  } catch {
    // not a URL: only the configured origins
  }
  return rp.origins;
}
