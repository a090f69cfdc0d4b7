// GET /metrics: Prometheus's text format, served only to the token from --metrics-token-file (or on
// the loopback --metrics-port listener), counting real traffic, with no label that names a user, a
// room or an address. Each node of a cluster serves its own numbers: the counters are summed here.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import parse, { type MetricFamily } from "parse-prometheus-text-format";
import { startMetricsListener } from "../../src/http/metrics-listener.ts";
import { silentLogger } from "../../src/log.ts";
import { createTestApp, tempDir, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

const TOKEN = "metrics-token-for-tests-0123456789";
let app: TestApp;
let alice: TestUser, bob: TestUser;
let roomId: number;

beforeAll(async () => {
  const dir = tempDir();
  const tokenFile = join(dir, "metrics-token");
  writeFileSync(tokenFile, TOKEN + "\n", { mode: 0o600 });
  app = await createTestApp({ config: { metricsTokenFile: tokenFile } });
  [alice, bob] = await Promise.all([createTestUser(app.deps), createTestUser(app.deps)]);
  const res = await app.request("/api/rooms", { cookie: alice.cookie, json: { kind: "public", name: "metered", members: [bob.id] } });
  roomId = ((await res.json()) as { room: { id: number } }).room.id;
}, 30_000);
afterAll(() => app.close());

/** Every node's exposition, parsed by a real parser of the format (not a regex). */
async function scrape(): Promise<MetricFamily[][]> {
  const pages: MetricFamily[][] = [];
  // Requests are counted after their response has gone: Elysia runs onAfterResponse in a
  // setImmediate callback, so two turns of the loop let every earlier request's run first.
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  for (const node of app.nodes) {
    const res = await node.handle(new Request("https://localhost/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    pages.push(parse(await res.text()));
  }
  return pages;
}

function total(pages: MetricFamily[][], name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const families of pages) {
    const family = families.find((f) => f.name === name);
    for (const sample of family?.metrics ?? []) {
      if (Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v)) sum += Number(sample.value ?? sample.count ?? 0);
    }
  }
  return sum;
}

describe("/metrics access", () => {
  test("is 404 when no token is configured, 401 without or with a wrong token, 200 with the right one", async () => {
    const plain = await createTestApp();
    try {
      const res = await plain.app.handle(new Request("https://localhost/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
    const bare = await app.app.handle(new Request("https://localhost/metrics"));
    expect(bare.status).toBe(401);
    expect(await bare.text()).not.toContain("vaultroom_");
    const wrong = await app.app.handle(new Request("https://localhost/metrics", { headers: { authorization: `Bearer ${TOKEN}x` } }));
    expect(wrong.status).toBe(401);
    const right = await app.app.handle(new Request("https://localhost/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(right.status).toBe(200);
  });

  test("the --metrics-port listener serves them on 127.0.0.1 without a token, and nothing else", async () => {
    const listener = startMetricsListener(app.app.decorator.services.metrics, 0, silentLogger);
    try {
      const res = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
      expect(res.status).toBe(200);
      expect(parse(await res.text()).some((f) => f.name === "vaultroom_build_info")).toBe(true);
      expect((await fetch(`http://127.0.0.1:${listener.port}/api/health`)).status).toBe(404);
    } finally {
      listener.stop();
    }
  });
});

describe("/metrics content", () => {
  test("ten posted messages move the posted counter by exactly ten, and requests are counted by route template", async () => {
    const before = await scrape();
    for (let i = 0; i < 10; i++) {
      const res = await app.request(`/api/rooms/${roomId}/messages`, { cookie: alice.cookie, json: { clientId: crypto.randomUUID(), body: `m${i}` } });
      expect(res.status).toBe(201);
    }
    // A resend of the same clientId stores nothing and counts nothing.
    const clientId = crypto.randomUUID();
    expect((await app.request(`/api/rooms/${roomId}/messages`, { cookie: alice.cookie, json: { clientId, body: "once" } })).status).toBe(201);
    expect((await app.request(`/api/rooms/${roomId}/messages`, { cookie: alice.cookie, json: { clientId, body: "once" } })).status).toBe(200);
    const after = await scrape();
    expect(total(after, "vaultroom_messages_posted_total") - total(before, "vaultroom_messages_posted_total")).toBe(11);
    const route = { method: "POST", route: "/api/rooms/:id/messages", status: "2xx" };
    expect(total(after, "vaultroom_http_requests_total", route) - total(before, "vaultroom_http_requests_total", route)).toBe(12);
    // Each commit was observed by the write queue's histograms.
    expect(total(after, "vaultroom_write_batch_size") - total(before, "vaultroom_write_batch_size")).toBeGreaterThanOrEqual(11);
    expect(total(after, "vaultroom_write_commit_duration_seconds")).toBeGreaterThan(0);
  });

  test("edits, deletions and failed logins are counted", async () => {
    const posted = await app.request(`/api/rooms/${roomId}/messages`, { cookie: alice.cookie, json: { clientId: crypto.randomUUID(), body: "to change" } });
    const id = ((await posted.json()) as { message: { id: number } }).message.id;
    const before = await scrape();
    expect((await app.request(`/api/messages/${id}`, { method: "PATCH", cookie: alice.cookie, json: { body: "changed" } })).status).toBe(200);
    expect((await app.request(`/api/messages/${id}`, { method: "DELETE", cookie: alice.cookie })).status).toBe(200);
    const failed = await app.request("/api/auth/login", { json: { username: alice.username, password: "not the password at all" } });
    expect(failed.status).toBe(401);
    const after = await scrape();
    expect(total(after, "vaultroom_messages_edited_total") - total(before, "vaultroom_messages_edited_total")).toBe(1);
    expect(total(after, "vaultroom_messages_deleted_total", { cause: "author" }) - total(before, "vaultroom_messages_deleted_total", { cause: "author" })).toBe(1);
    expect(total(after, "vaultroom_logins_total", { result: "failure" }) - total(before, "vaultroom_logins_total", { result: "failure" })).toBe(1);
  });

  test("every metric the operator needs is there, named vaultroom_*", async () => {
    const names = new Set((await scrape())[0]!.map((f) => f.name));
    for (const name of [
      "vaultroom_build_info",
      "vaultroom_websocket_connections",
      "vaultroom_connected_users",
      "vaultroom_messages_posted_total",
      "vaultroom_messages_edited_total",
      "vaultroom_messages_deleted_total",
      "vaultroom_message_deliveries_total",
      "vaultroom_write_batch_size",
      "vaultroom_write_commit_duration_seconds",
      "vaultroom_http_requests_total",
      "vaultroom_http_request_duration_seconds",
      "vaultroom_ws_frames_received_total",
      "vaultroom_ws_frames_sent_total",
      "vaultroom_ws_closes_total",
      "vaultroom_rate_limit_refusals_total",
      "vaultroom_logins_total",
      "vaultroom_second_factor_failures_total",
      "vaultroom_argon2_queue_depth",
      "vaultroom_upload_bytes_total",
      "vaultroom_upload_refusals_total",
      "vaultroom_nodejs_eventloop_lag_seconds",
      "vaultroom_process_resident_memory_bytes",
      "vaultroom_database_size_bytes",
    ]) {
      expect({ name, present: names.has(name) }).toEqual({ name, present: true });
    }
    for (const name of names) expect(name).toStartWith("vaultroom_");
    const pages = await scrape();
    expect(total(pages, "vaultroom_database_size_bytes")).toBeGreaterThan(0);
  });

  test("no label names a user, a room or an address, and no label value is one", async () => {
    const pages = await scrape();
    const forbiddenNames = /^(user|user_?id|username|room|room_?id|ip|address|session|path|url)$/i;
    const ids = new Set([String(alice.id), String(bob.id), String(roomId), alice.username, bob.username, "127.0.0.1"]);
    for (const families of pages) {
      for (const family of families) {
        for (const sample of family.metrics) {
          for (const [label, value] of Object.entries(sample.labels ?? {})) {
            expect({ family: family.name, label, forbidden: forbiddenNames.test(label) }).toEqual({ family: family.name, label, forbidden: false });
            if (label === "le" || label === "quantile") continue;
            expect({ family: family.name, label, value, names: ids.has(value) }).toEqual({ family: family.name, label, value, names: false });
            // Route labels are templates: never a concrete id in a path.
            if (label === "route") expect(value).not.toMatch(/\/\d+(\/|$)/);
          }
        }
      }
    }
  });
});
