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
import { TLS_POLICY } from "./tls/policy.ts";
import type { AssetStore } from "./web/assets.ts";
import { redirectTarget, startRedirectServer } from "./http/redirect.ts";
import { securityHeaders } from "./http/security-headers.ts";

export interface RunningServer {
  port: number;
  fingerprint: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger, assets: AssetStore): Promise<RunningServer> {
  ensureDataDir(config.dataDir);
  const db = openDatabase(databasePath(config.dataDir));
  const secrets = loadOrCreateSecrets(config.dataDir);
  const certificate = await loadOrCreateCertificate(config.certsDir, [config.host]);
  if (certificate.generated) logger.info("certificate_generated", { dir: config.certsDir });

  const app = createApp({ db, config, logger, assets, secrets, selfSigned: certificate.selfSigned, startedAt: Date.now() });
  try {
    app.listen({
      port: config.port,
      hostname: config.host,
      // Elysia defaults to reusePort: true, which lets a second instance silently share the port.
      reusePort: false,
      // No HTTP/2: with it, Bun 1.4.4 never closed a connection that negotiated h2 and then neither sent
      // nor read anything (the idle timeout did not fire), so anyone could hold sockets until file
      // descriptors ran out (test/hostile/slow-clients.test.ts). Idle HTTP/1.1 connections are closed.
      // TLS 1.0/1.1 are already refused by Bun; TLS_POLICY removes CBC and static-RSA suites and
      // makes the server's order of suites win over the client's.
      tls: { cert: certificate.cert, key: certificate.key, ...TLS_POLICY },
    } as Parameters<typeof app.listen>[0]);
  } catch (error) {
    db.close();
    throw new Error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const server = app.server as Server<unknown>;
  const { "strict-transport-security": _plainHttpIgnoresHsts, ...plainHeaders } = securityHeaders(certificate.selfSigned);
  const redirect =
    config.redirectPort === null
      ? null
      : startRedirectServer({
          hostname: config.host,
          port: config.redirectPort,
          target: redirectTarget(config, server.port!),
          headers: plainHeaders,
          logger,
        });

  logger.info("listening", {
    url: `https://${config.host === "0.0.0.0" ? "localhost" : config.host}:${server.port}`,
    redirectPort: config.redirectPort,
    data: config.dataDir,
    certificateSha256: certificate.fingerprint,
    selfSigned: certificate.selfSigned,
  });
  if (!hasAdmin(db)) {
    logger.warn("no_admin_yet", {
      message: "No administrator yet: the first account registered becomes the administrator (or run `vaultroom user create NAME --admin`).",
    });
  }

  let stopping: Promise<void> | null = null;
  return {
    port: server.port!,
    fingerprint: certificate.fingerprint,
    stop() {
      stopping ??= (async () => {
        redirect?.stop(true);
        // Stop accepting; WebSockets get 1001 "going away" from the socket layer's own shutdown hooks.
        await app.stop(true);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        db.close();
        logger.info("stopped");
      })();
      return stopping;
    },
  };
}
