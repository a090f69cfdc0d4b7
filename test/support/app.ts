// Builds the real app on a fresh temporary data directory (and, in cluster mode, a fresh Postgres
// database), for app.handle() and for listening tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type AppDeps } from "../../src/app.ts";
import { parseInvocation, type Config } from "../../src/config.ts";
import { ensureDataDir } from "../../src/db/data-dir.ts";
import { openStore } from "../../src/db/open-store.ts";
import type { Store } from "../../src/db/store.ts";
import { silentLogger, type Logger } from "../../src/log.ts";
import { loadOrCreateClusterId, loadServerSecrets } from "../../src/secrets.ts";
import { joinCluster } from "../../src/cluster/node.ts";
import { createAssetStore } from "../../src/web/assets.ts";
import { EMBEDDED_FILES } from "../../src/web/embedded.generated.ts";
import { loadOrCreateCertificate } from "../../src/tls/certificate.ts";
import { TLS_POLICY } from "../../src/tls/policy.ts";
import { freshDatabaseUrl, TEST_ENGINE, testRedisUrl } from "./engine.ts";
import { testSql, type TestSql } from "./sql.ts";

/** Test modules that define commands (the SQLite writer thread imports them). */
const TEST_COMMAND_MODULES = ["sql.ts", "users.ts", "commands.ts"].map((file) => join(import.meta.dir, file));

export const BASE = "https://localhost";
export const ORIGIN = "https://localhost";

export function tempDir(prefix = "vaultroom-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  const invocation = parseInvocation(["--data", dataDir, "--certs", join(dataDir, "certs"), "--port", "0"], {});
  if (invocation.kind !== "run") throw new Error("unreachable");
  return { ...invocation.config, ...overrides };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  store: Store;
  /** Portable SQL straight at the database (see sql.ts). */
  sql: TestSql;
  dataDir: string;
  /** Every node's app: one on SQLite, two in cluster mode. */
  nodes: ReturnType<typeof createApp>[];
  /** app.handle() with a same-origin Origin on state-changing requests unless headers say otherwise. */
  request(path: string, init?: RequestInit & { json?: unknown; cookie?: string }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<Config>;
  logger?: Logger;
}

interface Node {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  store: Store;
  close(): Promise<void>;
}

async function startNode(config: Config, options: TestAppOptions, dataDir: string, name: string): Promise<Node> {
  // The writer thread must know the commands the test helpers define. VAULTROOM_TEST_WRITER=loop
  // commits on the event loop instead: coverage (scripts/mutate.ts) does not see into the thread.
  const writer = process.env.VAULTROOM_TEST_WRITER === "loop" ? "loop" : "thread";
  const store = await openStore(config, { commandModules: TEST_COMMAND_MODULES, writer });
  // Both nodes of a cluster read the same secrets file (the shared data directory here), as --secrets-file would.
  const secrets = await loadServerSecrets(store, config);
  const cluster =
    TEST_ENGINE === "cluster"
      ? await joinCluster({ redisUrl: testRedisUrl(), nodeId: name, namespace: await loadOrCreateClusterId(store), secret: secrets.sessionKey, logger: silentLogger })
      : null;
  const deps: AppDeps = {
    store,
    cluster,
    config,
    logger: options.logger ?? silentLogger,
    assets: createAssetStore(EMBEDDED_FILES),
    secrets,
    selfSigned: true,
    startedAt: Date.now(),
  };
  const app = createApp(deps);
  // As server.ts does before serving.
  await cluster?.link.start();
  await app.decorator.services.chat.start();
  return {
    app,
    deps,
    store,
    async close() {
      app.decorator.services.chat.shutdown();
      await store.close();
      cluster?.close();
    },
  };
}

/**
 * The app on a fresh data directory. In cluster mode (engine.ts) it is two nodes on one fresh
 * Postgres database: `app`, `deps` and `store` are the first node's, and request() alternates
 * between the nodes, so every API test also crosses nodes.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = tempDir();
  ensureDataDir(dataDir);
  const config = testConfig(dataDir, { databaseUrl: await freshDatabaseUrl(), ...options.config });
  const nodes = [await startNode(config, options, dataDir, "node-a")];
  if (TEST_ENGINE === "cluster") nodes.push(await startNode(config, options, dataDir, "node-b"));
  const first = nodes[0]!;
  let turn = 0;
  return {
    app: first.app,
    deps: first.deps,
    store: first.store,
    sql: testSql(first.store, nodes.map((node) => node.store)),
    dataDir,
    nodes: nodes.map((node) => node.app),
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      const method = (init.method ?? (init.json !== undefined ? "POST" : "GET")).toUpperCase();
      if (!headers.has("origin") && method !== "GET" && method !== "HEAD") headers.set("origin", ORIGIN);
      if (init.cookie) headers.set("cookie", init.cookie);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
        // A browser's fetch always declares the length; the app refuses JSON bodies that do not.
        headers.set("content-length", String(Buffer.byteLength(body)));
      }
      if (typeof body === "string" && !headers.has("content-length")) headers.set("content-length", String(Buffer.byteLength(body)));
      const node = nodes[turn++ % nodes.length]!;
      return node.app.handle(new Request(BASE + path, { ...init, method, headers, body }));
    },
    async close() {
      for (const node of nodes) await node.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The same app listening on free loopback ports over TLS, for real WebSocket and fetch clients. In
 * cluster mode both nodes listen, each accepts the other's origin, and `wsUrl` alternates between
 * them, so the sockets of one test are spread across the nodes.
 */
export async function startTestServer(options: TestAppOptions = {}) {
  const test = await createTestApp(options);
  const certificate = await loadOrCreateCertificate(join(test.dataDir, "certs"));
  const origins: string[] = [];
  for (const app of test.nodes) {
    app.listen({
      port: 0,
      hostname: "127.0.0.1",
      reusePort: false,
      tls: { cert: certificate.cert, key: certificate.key, ...TLS_POLICY },
    });
    origins.push(`https://127.0.0.1:${app.server!.port!}`);
  }
  // Test-only: the config's origin list is read live, so each node accepts its sibling's pages.
  test.deps.config.origins.push(...origins);
  const port = test.app.server!.port!;
  let turn = 0;
  return {
    ...test,
    port,
    url: `https://127.0.0.1:${port}`,
    get wsUrl() {
      return `${origins[turn++ % origins.length]!.replace("https://", "wss://")}/ws`;
    },
    origin: `https://127.0.0.1:${port}`,
    async stop() {
      for (const app of test.nodes) await app.stop(true);
      await test.close();
    },
  };
}

/** Cookie header value from a response's Set-Cookie headers (name=value pairs only). */
export function cookieFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}
