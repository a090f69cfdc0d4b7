// Listening with --domain: the public port is the TLS front (tls/https-endpoint.ts) and the app runs
// behind it on loopback; ACME (manager.ts) starts once the redirect listener, if any, is up.
import type { Server } from "bun";
import type { App } from "../app.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Certificate } from "../tls/certificate.ts";
import type { LiveCertificate, ParsedCertificate } from "../tls/certificate-status.ts";
import { openHttpsEndpoint, type HttpsEndpoint } from "../tls/https-endpoint.ts";
import type { TlsPair } from "../tls/https-backends.ts";
import { TLS_POLICY } from "../tls/policy.ts";
import { configureAcmeHttp } from "./acme-http.ts";
import { chooseChallenge } from "./challenge-choice.ts";
import { HttpChallenges } from "./http-challenges.ts";
import { startAcmeManager, type AcmeManager } from "./manager.ts";
import { readCertificate } from "./store.ts";

export interface AcmeListener {
  port: number;
  httpChallenges: HttpChallenges;
  /** Starts issuing or renewing (after the redirect listener is up, for HTTP-01). */
  start(): void;
  stop(stopApp: () => Promise<void>): Promise<void>;
}

export async function openAcmeListener(app: App, config: Config, logger: Logger, fallback: Certificate, live: LiveCertificate): Promise<AcmeListener> {
  const acme = config.acme!;
  await configureAcmeHttp(acme.caFile);
  const choice = chooseChallenge({ ...config, acme });
  logger.info("acme_challenge", { challenge: choice.challenge, reason: choice.reason, otherChallenge: choice.otherReason });

  const stored = await readCertificate(config.certsDir, acme);
  let first: TlsPair = fallback;
  let storedParsed: ParsedCertificate | null = null;
  if ("unusable" in stored) logger.info("acme_no_stored_certificate", { reason: stored.unusable });
  else if (stored.parsed.notAfter.getTime() <= Date.now()) logger.warn("acme_stored_certificate_expired", { notAfter: stored.parsed.notAfter.toISOString() });
  else {
    first = stored.pair;
    storedParsed = stored.parsed;
    live.replace(stored.parsed, "acme");
  }

  const listenBackend = (pair: TlsPair): Server<unknown> => {
    // Same settings as the direct listener in server.ts (reusePort off, HTTP/1.1 only, cipher list);
    // only loopback: the front is the public side. The app's own serve options (development off and
    // the lastResortOptions error handler, app.ts) apply to every backend too.
    app.listen({
      port: 0,
      hostname: "127.0.0.1",
      reusePort: false,
      tls: { cert: pair.cert, key: pair.key, ...TLS_POLICY },
    } as Parameters<typeof app.listen>[0]);
    return app.server as Server<unknown>;
  };
  let endpoint: HttpsEndpoint;
  try {
    endpoint = await openHttpsEndpoint(config.host, config.port, listenBackend, first);
  } catch (error) {
    throw new Error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const httpChallenges = new HttpChallenges();
  let manager: AcmeManager | null = null;
  return {
    port: endpoint.port,
    httpChallenges,
    start() {
      manager = startAcmeManager({ acme, certsDir: config.certsDir, logger, live, endpoint, httpChallenges, choice, stored: storedParsed });
    },
    async stop(stopApp) {
      manager?.stop();
      await endpoint.stop(stopApp);
    },
  };
}
