// Starts VaultRoom: database (SQLite in the data directory, or Postgres with --database), cluster
// membership (--redis), secrets, certificate (and ACME with --domain), HTTPS (+ optional redirect),
// and a graceful stop that closes sockets with 1001 and the database cleanly.
import type { Server } from "bun";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import { createApp } from "./app.ts";
import { users } from "./accounts/users.ts";
import { refreshNameSkeletons } from "./accounts/name-skeletons.ts";
import { ensureDataDir } from "./db/data-dir.ts";
import { openStore } from "./db/open-store.ts";
import { joinCluster } from "./cluster/node.ts";
import { startMaintenance } from "./maintenance.ts";
import { checkTotpKey, loadOrCreateClusterId, loadServerSecrets } from "./secrets.ts";
import { startMetricsListener } from "./http/metrics-listener.ts";
import { loadOrCreateCertificate } from "./tls/certificate.ts";
import { TLS_POLICY } from "./tls/policy.ts";
import type { AssetStore } from "./web/assets.ts";
import { redirectTarget, startRedirectServer } from "./http/redirect.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { LiveCertificate, parseCertificate } from "./tls/certificate-status.ts";
import { openAcmeListener, type AcmeListener } from "./acme/acme-listener.ts";

export interface RunningServer {
  port: number;
  fingerprint: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger, assets: AssetStore): Promise<RunningServer> {
  ensureDataDir(config.dataDir);
  const store = await openStore(config, { logger, applicationName: `vaultroom ${config.nodeId}` });
  // The session key (in a cluster, from the database), the TOTP and audit keys (always from the secrets file).
  const secrets = await loadServerSecrets(store, config);
  try {
    // A node given another secrets file than its cluster's refuses to start rather than failing every code.
    await checkTotpKey(store, secrets, config.secretsFile);
  } catch (error) {
    await store.close();
    throw error;
  }
  const cluster =
    config.redisUrl === null
      ? null
      : await joinCluster({
          redisUrl: config.redisUrl,
          nodeId: config.nodeId,
          namespace: await loadOrCreateClusterId(store),
          secret: secrets.sessionKey,
          logger,
        });
  if (store.engine === "postgres" && cluster === null) {
    logger.warn("no_redis", { message: "Postgres without --redis: this node must be the only one (other nodes' clients would not hear its events)." });
  }
  await refreshNameSkeletons(store, logger);
  const certificate = await loadOrCreateCertificate(config.certsDir, [config.host, ...(config.acme?.domains ?? [])]);
  if (certificate.generated) logger.info("certificate_generated", { dir: config.certsDir });
  // What is served right now: ACME (--domain) replaces it while the server runs.
  const live = new LiveCertificate(await parseCertificate(certificate.cert), certificate.selfSigned ? "self-signed" : "own");

  const app = createApp({
    store,
    cluster,
    config,
    logger,
    assets,
    secrets,
    selfSigned: () => live.selfSigned,
    certificate: live,
    startedAt: Date.now(),
  });
  const services = app.decorator.services;
  await cluster?.link.start();
  await services.chat.start();
  const maintenance = startMaintenance(store, logger);
  // New messages are indexed for search in the background, off the posting path (search/indexer.ts).
  services.search.indexer.start();
  services.exports.startSweeper();
  // The audit chain (legacy entries chained, checkpoints signed every minute) and retention.
  await services.audit.start();
  services.retention.start();
  // A lone node's start: nothing can be uploading, every leftover goes. In a cluster another node may be.
  await services.files.sweepLeftovers(store.engine === "sqlite" ? 0 : undefined);

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
        // TLS 1.0/1.1 are already refused by Bun; TLS_POLICY removes CBC and static-RSA suites and
        // makes the server's order of suites win over the client's.
        tls: { cert: certificate.cert, key: certificate.key, ...TLS_POLICY },
      } as Parameters<typeof app.listen>[0]);
    }
  } catch (error) {
    maintenance.stop();
    await services.search.indexer.stop();
    await services.retention.stop();
    await services.audit.stop();
    await store.close();
    cluster?.close();
    // The ACME listener words its own errors (a port, or an unreadable --acme-ca-file).
    throw config.acme ? error : new Error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const port = acme?.port ?? (app.server as Server<unknown>).port!;
  const { "strict-transport-security": _plainHttpIgnoresHsts, ...plainHeaders } = securityHeaders(certificate.selfSigned);
  const redirect =
    config.redirectPort === null
      ? null
      : startRedirectServer({
          hostname: config.host,
          port: config.redirectPort,
          target: redirectTarget(config, port),
          headers: plainHeaders,
          logger,
          challenges: acme?.httpChallenges,
        });

  // Loopback only: Prometheus on the same machine (or a local agent) scrapes without a token.
  const metricsListener = config.metricsPort === null ? null : startMetricsListener(services.metrics, config.metricsPort, logger);

  const served = live.status();
  logger.info("listening", {
    url: `https://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
    redirectPort: config.redirectPort,
    metricsPort: metricsListener?.port ?? null,
    data: config.dataDir,
    database: store.location,
    node: config.nodeId,
    certificateSha256: served.fingerprint,
    selfSigned: served.selfSigned,
    certificateSource: served.source,
  });
  acme?.start();
  // After the first answers rather than before them (metrics.ts).
  setTimeout(() => services.metrics.startDefaults(), 1000).unref();
  if (!(await users.hasAdmin(store.read))) {
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
        metricsListener?.stop();
        maintenance.stop();
        await services.search.indexer.stop();
        services.exports.stop();
        await services.retention.stop();
        // Stop accepting; WebSockets get 1001 "going away" from the socket layer's own shutdown hooks.
        if (acme) {
          await acme.stop(async () => {
            await app.stop(true);
          });
        } else await app.stop(true);

        // The last entries get their checkpoint; everything queued is written before the database closes.
        await services.audit.stop();
        await store.close();
        cluster?.close();
        logger.info("stopped");
      })();
      return stopping;
    },
  };
}
