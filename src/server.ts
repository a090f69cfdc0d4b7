// Starts VaultRoom: data directory, database, secrets, certificate, HTTPS (+ optional redirect),
// and a graceful stop that closes sockets with 1001 and the database cleanly.
import type { Server } from "bun";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import { createApp } from "./app.ts";
import { hasAdmin } from "./accounts/users.ts";
import { databasePath, ensureDataDir, openDatabase } from "./db/open.ts";
import { loadOrCreateSecrets } from "./secrets.ts";
import { loadOrCreateCertificate } from "./tls/certificate.ts";
import { TLS_CIPHERS } from "./tls/policy.ts";
import type { AssetStore } from "./web/assets.ts";
import { startRedirectServer } from "./http/redirect.ts";
import { LiveCertificate, parseCertificate } from "./tls/certificate-status.ts";
import { openAcmeListener, type AcmeListener } from "./acme/acme-listener.ts";

export interface RunningServer {
  port: number;
  fingerprint: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger, assets: AssetStore): Promise<RunningServer> {
  ensureDataDir(config.dataDir);
  const db = openDatabase(databasePath(config.dataDir));
  const secrets = loadOrCreateSecrets(config.dataDir);
  const certificate = await loadOrCreateCertificate(config.certsDir, [config.host, ...(config.acme?.domains ?? [])]);
  if (certificate.generated) logger.info("certificate_generated", { dir: config.certsDir });
  // What is served right now: ACME (--domain) replaces it while the server runs.
  const live = new LiveCertificate(await parseCertificate(certificate.cert), certificate.selfSigned ? "self-signed" : "own");

  const app = createApp({ db, config, logger, assets, secrets, selfSigned: () => live.selfSigned, certificate: live, startedAt: Date.now() });
  let acme: AcmeListener | null = null;
  try {
    // With --domain the public port is a TLS front and the app listens behind it (acme/acme-listener.ts).
    if (config.acme) acme = await openAcmeListener(app, config, logger, certificate, live);
    else {
      app.listen({
        port: config.port,
        hostname: config.host,
        // Elysia defaults to reusePort: true, which lets a second instance silently share the port.
        reusePort: false,
        // No HTTP/2: with it, Bun 1.4.4 never closed a connection that negotiated h2 and then neither sent
        // nor read anything (the idle timeout did not fire), so anyone could hold sockets until file
        // descriptors ran out (test/hostile/slow-clients.test.ts). Idle HTTP/1.1 connections are closed.
        // TLS 1.0/1.1 are already refused by Bun; TLS_CIPHERS removes CBC and static-RSA suites.
        tls: { cert: certificate.cert, key: certificate.key, ciphers: TLS_CIPHERS },
      } as Parameters<typeof app.listen>[0]);
    }
  } catch (error) {
    db.close();
    // The ACME listener words its own errors (a port, or an unreadable --acme-ca-file).
    throw config.acme ? error : new Error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const port = acme?.port ?? (app.server as Server<unknown>).port!;
  const redirect = config.redirectPort === null ? null : startRedirectServer(config.host, config.redirectPort, port, acme?.httpChallenges);

  const served = live.status();
  logger.info("listening", {
    url: `https://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
    redirectPort: config.redirectPort,
    data: config.dataDir,
    certificateSha256: served.fingerprint,
    selfSigned: served.selfSigned,
    certificateSource: served.source,
  });
  acme?.start();
  if (!hasAdmin(db)) {
    logger.warn("no_admin_yet", {
      message: "No administrator yet: the first account registered becomes the administrator (or run `vaultroom user create NAME --admin`).",
    });
  }

  let stopping: Promise<void> | null = null;
  return {
    port,
    fingerprint: served.fingerprint,
    stop() {
      stopping ??= (async () => {
        redirect?.stop(true);
        // Stop accepting; WebSockets get 1001 "going away" from the socket layer's own shutdown hooks.
        if (acme) {
          await acme.stop(async () => {
            await app.stop(true);
          });
        }
        else await app.stop(true);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        db.close();
        logger.info("stopped");
      })();
      return stopping;
    },
  };
}
