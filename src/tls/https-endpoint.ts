// The public HTTPS port when VaultRoom manages its own certificate (--domain): the TLS front routes
// each connection by its ClientHello to a TLS-ALPN-01 responder or to the current HTTPS server.
import { startAlpnResponder, type AlpnResponder } from "./alpn-responder.ts";
import { openFrontDoor, type FrontDoor } from "./front-door.ts";
import { HttpsBackends, type ListenBackend, type TlsPair } from "./https-backends.ts";

export const ACME_TLS_ALPN = "acme-tls/1";
/** Within the 5 s a graceful stop may take (cli/serve.ts). */
const DRAIN_ON_STOP_MS = 2000;

export interface HttpsEndpoint {
  port: number;
  /** New connections get this certificate; open ones, WebSockets included, keep theirs. */
  useCertificate(pair: TlsPair): void;
  /** Answer TLS-ALPN-01 validation for `name` with this challenge certificate until removed. */
  addAlpnChallenge(name: string, pair: TlsPair): void;
  removeAlpnChallenge(name: string): void;
  /** Stops accepting, stops the retired servers, lets `stopApp` stop the current one, then closes the rest. */
  stop(stopApp: () => Promise<void>): Promise<void>;
}

export async function openHttpsEndpoint(hostname: string, port: number, listen: ListenBackend, first: TlsPair): Promise<HttpsEndpoint> {
  const backends = new HttpsBackends(listen, first);
  const challenges = new Map<string, AlpnResponder>();
  let front: FrontDoor;
  try {
    front = await openFrontDoor(hostname, port, (hello) => {
      if (hello.kind === "hello" && hello.serverName && hello.alpn.includes(ACME_TLS_ALPN)) {
        const responder = challenges.get(hello.serverName);
        if (responder) return responder.port;
      }
      return backends.port;
    });
  } catch (error) {
    await backends.stopAll();
    throw error;
  }
  return {
    port: front.port,
    useCertificate: (pair) => backends.use(pair),
    addAlpnChallenge(name, pair) {
      challenges.get(name)?.stop();
      challenges.set(name, startAlpnResponder(pair.cert, pair.key, ACME_TLS_ALPN));
    },
    removeAlpnChallenge(name) {
      challenges.get(name)?.stop();
      challenges.delete(name);
    },
    async stop(stopApp) {
      for (const responder of challenges.values()) responder.stop();
      challenges.clear();
      const closed = front.close();
      await backends.stopRetired();
      await stopApp();
      // The servers' last bytes (WebSockets' 1001 close frames) still have to cross the relay.
      await front.drain(DRAIN_ON_STOP_MS);
      await closed;
    },
  };
}
