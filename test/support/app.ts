// Builds the real app on a fresh temporary data directory, for app.handle() and for listening tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type AppDeps } from "../../src/app.ts";
import { parseInvocation, type Config } from "../../src/config.ts";
import { databasePath, ensureDataDir, openDatabase } from "../../src/db/open.ts";
import { silentLogger, type Logger } from "../../src/log.ts";
import { loadOrCreateSecrets } from "../../src/secrets.ts";
import { createAssetStore } from "../../src/web/assets.ts";
import { EMBEDDED_FILES } from "../../src/web/embedded.generated.ts";
import { loadOrCreateCertificate } from "../../src/tls/certificate.ts";
import { TLS_POLICY } from "../../src/tls/policy.ts";

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
  dataDir: string;
  /** app.handle() with a same-origin Origin on state-changing requests unless headers say otherwise. */
  request(path: string, init?: RequestInit & { json?: unknown; cookie?: string }): Promise<Response>;
  close(): void;
}

export function createTestApp(options: { config?: Partial<Config>; logger?: Logger } = {}): TestApp {
  const dataDir = tempDir();
  ensureDataDir(dataDir);
  const db = openDatabase(databasePath(dataDir));
  const deps: AppDeps = {
    db,
    config: testConfig(dataDir, options.config),
    logger: options.logger ?? silentLogger,
    assets: createAssetStore(EMBEDDED_FILES),
    secrets: loadOrCreateSecrets(dataDir),
    selfSigned: true,
    startedAt: Date.now(),
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    dataDir,
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
      return app.handle(new Request(BASE + path, { ...init, method, headers, body }));
    },
    close() {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The same app listening on a free loopback port over TLS, for real WebSocket and fetch clients. */
export async function startTestServer(options: { config?: Partial<Config>; logger?: Logger } = {}) {
  const test = createTestApp(options);
  const certificate = await loadOrCreateCertificate(join(test.dataDir, "certs"));
  test.app.listen({
    port: 0,
    hostname: "127.0.0.1",
    reusePort: false,
    tls: { cert: certificate.cert, key: certificate.key, ...TLS_POLICY },
  });
  const port = test.app.server!.port!;
  return {
    ...test,
    port,
    url: `https://127.0.0.1:${port}`,
    wsUrl: `wss://127.0.0.1:${port}/ws`,
    origin: `https://127.0.0.1:${port}`,
    async stop() {
      await test.app.stop(true);
      test.close();
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
