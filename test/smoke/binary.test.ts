// The compiled binary, copied alone into an empty directory, serves VaultRoom over HTTPS.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { tempDir } from "../support/app.ts";
import { BINARY, freePort, waitForHealth } from "./run-binary.ts";

let dir: string;
let port: number;
let redirectPort: number;
let proc: ReturnType<typeof Bun.spawn>;
let stdout = "";

beforeAll(async () => {
  expect(existsSync(BINARY)).toBe(true); // `bun run build` first; .ci/run does
  dir = tempDir("vaultroom-smoke-");
  copyFileSync(BINARY, join(dir, "vaultroom"));
  port = await freePort();
  redirectPort = await freePort();
  // No PATH to bun, no repo: the binary must carry everything itself.
  proc = Bun.spawn([join(dir, "vaultroom"), "--port", String(port), "--host", "127.0.0.1", "--redirect-port", String(redirectPort)], {
    cwd: dir,
    env: { HOME: dir, PATH: "/nonexistent" },
    stdout: "pipe",
    stderr: "pipe",
  });
  void (async () => {
    const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) stdout += new TextDecoder().decode(chunk.value);
  })();
  await waitForHealth(`https://127.0.0.1:${port}`);
});

afterAll(() => {
  if (proc.exitCode === null) proc.kill("SIGKILL");
});

describe("the compiled binary in an empty directory", () => {
  test("serves the app over HTTPS with the security headers", async () => {
    const response = await fetch(`https://127.0.0.1:${port}/`, { tls: { rejectUnauthorized: false } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    const html = await response.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const script = await fetch(`https://127.0.0.1:${port}${asset}`, { tls: { rejectUnauthorized: false } });
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect((await script.text()).length).toBeGreaterThan(1000);
  });

  test("answers clients that offer HTTP/2 over HTTP/1.1 (see src/server.ts for why)", async () => {
    const curl = Bun.spawn(["curl", "-sk", "--http2", "-o", "/dev/null", "-w", "%{http_version}", `https://127.0.0.1:${port}/`]);
    expect(await new Response(curl.stdout).text()).toBe("1.1");
  });

  test("the plain-HTTP port only redirects to HTTPS", async () => {
    const response = await fetch(`http://127.0.0.1:${redirectPort}/chat?room=1`, { redirect: "manual" });
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe(`https://127.0.0.1:${port}/chat?room=1`);
    expect(await response.text()).toBe("");
  });

  test("answers the health check", async () => {
    const response = await fetch(`https://127.0.0.1:${port}/api/health`, { tls: { rejectUnauthorized: false } });
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  test("generated its certificate, key 0600, and printed the fingerprint it serves", async () => {
    const cert = new X509Certificate(readFileSync(join(dir, "certs/cert.pem")));
    expect(statSync(join(dir, "certs/key.pem")).mode & 0o777).toBe(0o600);
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(stdout).toContain(cert.fingerprint256);
  });

  test("keeps its data in ./data with private modes", () => {
    expect(statSync(join(dir, "data")).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "data/vaultroom.db")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "data/secrets.json")).mode & 0o777).toBe(0o600);
  });

  test("refuses to share a port that is already taken", async () => {
    const second = Bun.spawn([join(dir, "vaultroom"), "--port", String(port), "--host", "127.0.0.1", "--data", join(dir, "d2")], {
      cwd: dir,
      stdout: "ignore",
      stderr: "pipe",
    });
    expect(await second.exited).not.toBe(0);
    expect(await new Response(second.stderr as ReadableStream).text()).toContain(`cannot listen on 127.0.0.1:${port}`);
  });

  test("a bad flag prints one line and exits with status 2", async () => {
    const bad = Bun.spawn([join(dir, "vaultroom"), "--port", "nope"], { cwd: dir, stdout: "ignore", stderr: "pipe" });
    expect(await bad.exited).toBe(2);
    const err = await new Response(bad.stderr as ReadableStream).text();
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toContain("--port must be a port number");
  });

  test("SIGTERM stops it cleanly with status 0", async () => {
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(stdout).toContain('"event":"stopped"');
  });
});
