// With --domain every connection passes through the TLS front, yet the app must keep seeing each
// client's own address (rate limits, sessions, audit). A client connecting from 127.0.0.2 must show
// up as 127.0.0.2, not as the front's 127.0.0.1. No ACME server is needed: the front runs regardless.
import { afterEach, describe, expect, test } from "bun:test";
import https from "node:https";
import type { RunningBinary } from "../support/binary.ts";
import { startWithDomain, unreachableAcme } from "./vaultroom.ts";

let vaultroom: RunningBinary | null = null;
afterEach(async () => {
  await vaultroom?.stop();
  vaultroom = null;
});

function request(port: number, method: string, path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: "127.0.0.1", port, method, path, localAddress: "127.0.0.2", rejectUnauthorized: false, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("behind the TLS front", () => {
  test("the app sees the client's own address", async () => {
    vaultroom = await startWithDomain(await unreachableAcme());
    const origin = vaultroom.url;
    const registered = await request(vaultroom.port, "POST", "/api/auth/register", { origin, "content-type": "application/json" }, JSON.stringify({ username: "bob", password: "a long and unusual passphrase" }));
    expect(registered.status).toBe(201);
    const cookie = ([] as string[]).concat(registered.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).join("; ");
    const sessions = await request(vaultroom.port, "GET", "/api/sessions", { origin, cookie });
    expect((JSON.parse(sessions.body) as { sessions: { ip: string }[] }).sessions.map((s) => s.ip)).toEqual(["127.0.0.2"]);
  });
});
