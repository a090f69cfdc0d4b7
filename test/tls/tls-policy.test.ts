// The running server's TLS, as an outside scanner sees it: TLS 1.2/1.3 with forward-secret AEAD
// suites only, both with the generated ECDSA certificate and with an operator's RSA certificate
// (for which Bun would otherwise also offer CBC and static-RSA suites).
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseInvocation } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import { startServer } from "../../src/server.ts";
import { createAssetStore } from "../../src/web/assets.ts";
import { EMBEDDED_FILES } from "../../src/web/embedded.generated.ts";
import { BINARY, freePort, waitForHealth } from "../smoke/run-binary.ts";
import { tempDir } from "../support/app.ts";
import { policyViolations, scan, sslscanPath } from "./sslscan.ts";
import { negotiatedTls12Cipher, serverOrder } from "./cipher-order.ts";

// Read once, when this file loads: the TLS policy does not depend on the web app's files.
const assets = createAssetStore(EMBEDDED_FILES);

async function withServer<T>(certsDir: string, use: (port: number) => Promise<T> | T): Promise<T> {
  const dir = tempDir();
  const invocation = parseInvocation(["--data", join(dir, "data"), "--certs", certsDir, "--host", "127.0.0.1", "--port", "0"], {});
  if (invocation.kind !== "run") throw new Error("unreachable");
  const server = await startServer(invocation.config, silentLogger, assets);
  try {
    return await use(server.port);
  } finally {
    await server.stop();
  }
}

/** An operator's RSA certificate. openssl is used by the test only; VaultRoom never runs it. */
function rsaCertificate(): string {
  const dir = join(tempDir(), "certs");
  mkdirSync(dir);
  const made = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
    { stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(`openssl could not make a test RSA certificate: ${made.stderr.toString()}`);
  return dir;
}

describe("TLS policy, scanned with sslscan", () => {
  test("sslscan is installed (CI installs it; a missing scanner fails rather than skips)", () => {
    expect(sslscanPath()).toBeTruthy();
  });

  test("with the generated ECDSA certificate only TLS 1.2/1.3 forward-secret AEAD suites are offered", async () => {
    const result = await withServer(join(tempDir(), "certs"), (port) => scan(port));
    expect(policyViolations(result)).toEqual([]);
    expect(result.protocols.filter((p) => p.enabled).map((p) => p.name).sort()).toEqual(["TLSv1.2", "TLSv1.3"]);
    expect(result.ciphers.some((c) => c.protocol === "TLSv1.2" && c.name.startsWith("ECDHE-ECDSA-"))).toBe(true);
  }, 60_000);

  test("the server's cipher order wins over the client's (TLS 1.2), with ECDSA and RSA certificates", async () => {
    for (const [key, certs] of [["ECDSA", join(tempDir(), "certs")], ["RSA", rsaCertificate()]] as const) {
      const order = serverOrder(key);
      const chosen = await withServer(certs, (port) => negotiatedTls12Cipher(port, [...order].reverse()));
      expect({ key, chosen }).toEqual({ key, chosen: order[0]! });
    }
  }, 60_000);

  test("with an operator's RSA certificate CBC and static-RSA suites stay off", async () => {
    const result = await withServer(rsaCertificate(), (port) => scan(port));
    expect(policyViolations(result)).toEqual([]);
    expect(result.ciphers.some((c) => c.protocol === "TLSv1.2" && c.name.startsWith("ECDHE-RSA-"))).toBe(true);
  }, 60_000);

  test("the compiled binary, started as an operator would with an RSA certificate, passes the scan", async () => {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bun run build\` first (bun run test does)`);
    const certs = rsaCertificate();
    const port = await freePort();
    const dir = tempDir();
    const server = Bun.spawn(
      [BINARY, "serve", "--data", join(dir, "data"), "--certs", certs, "--host", "127.0.0.1", "--port", String(port)],
      { stdout: "ignore", stderr: "pipe" },
    );
    try {
      await waitForHealth(`https://127.0.0.1:${port}`);
      const result = await scan(port);
      expect(policyViolations(result)).toEqual([]);
      expect(result.ciphers.length).toBeGreaterThan(2);
      expect(await negotiatedTls12Cipher(port, [...serverOrder("RSA")].reverse())).toBe(serverOrder("RSA")[0]!);
    } finally {
      server.kill("SIGTERM");
      await server.exited;
    }
  }, 60_000);

  test("the check would catch a server without the policy: Bun's defaults with an RSA certificate fail it", async () => {
    const certs = rsaCertificate();
    const bare = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      tls: { cert: readFileSync(join(certs, "cert.pem"), "utf8"), key: readFileSync(join(certs, "key.pem"), "utf8") },
      fetch: () => new Response("ok"),
    });
    try {
      const violations = policyViolations(await scan(bare.port!));
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.join("\n")).toMatch(/CBC: not AEAD|static RSA: no forward secrecy/);
    } finally {
      bare.stop(true);
    }
  }, 60_000);
});
