// Issue 17's operator, tried on the compiled binary as one would: scrape /metrics with the token (and
// on the loopback metrics port), set a 30-day retention that actually deletes, then, with the server
// stopped, `vaultroom audit verify` and `audit export`, and a backup that no longer holds the deleted
// text. prom-client's default collectors, the writer thread and the CLI all run from the binary here.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import parse, { type MetricFamily } from "parse-prometheus-text-format";
import { BINARY, freePort, startBinary, type RunningBinary } from "../support/binary.ts";
import { tempDir } from "../support/app.ts";

setDefaultTimeout(60_000);

const TOKEN = "operator-metrics-token-0123456789abcdef";
const PASSWORD = "a long and unusual passphrase";
const MARKER = "OPERATOR-RETENTION-MARKER-secret";
const DAY = 86_400_000;

let dir: string;
let server: RunningBinary;
let metricsPort: number;
let cookie: string;
let roomId: number;
let oldId: number;
let auditIdOfRetention: number;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url + path, {
    method,
    headers: { origin: server.url, "content-type": "application/json", ...(cookie ? { cookie } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    tls: { rejectUnauthorized: false },
  });
}

async function scrape(): Promise<MetricFamily[]> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` }, tls: { rejectUnauthorized: false } });
  expect(res.status).toBe(200);
  return parse(await res.text());
}

function value(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) throw new Error(`${name} is not exposed`);
  let sum = 0;
  for (const sample of family.metrics) {
    if (Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v)) sum += Number(sample.value ?? sample.count ?? 0);
  }
  return sum;
}

async function vaultroom(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([BINARY, ...args, "--data", join(dir, "data")], { cwd: dir, env: { PATH: "/nonexistent" }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = tempDir("vaultroom-operator-");
  const tokenFile = join(dir, "metrics-token");
  writeFileSync(tokenFile, TOKEN + "\n", { mode: 0o600 });
  metricsPort = await freePort();
  server = await startBinary({ dir, args: ["--metrics-token-file", tokenFile, "--metrics-port", String(metricsPort)] });
  // The first account is the server's admin.
  const registered = await call("POST", "/api/auth/register", { username: "operator", password: PASSWORD });
  expect(registered.status).toBeLessThan(300);
  cookie = registered.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const room = await call("POST", "/api/rooms", { kind: "public", name: "ops" });
  roomId = ((await room.json()) as { room: { id: number } }).room.id;
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("an operator on the compiled binary", () => {
  test("scrapes /metrics with the token; counters move with real traffic; the loopback port serves it too", async () => {
    expect((await fetch(`${server.url}/metrics`, { tls: { rejectUnauthorized: false } })).status).toBe(401);
    const before = await scrape();
    for (let i = 0; i < 10; i++) {
      const res = await call("POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body: `metered ${i}` });
      expect(res.status).toBe(201);
    }
    const after = await scrape();
    expect(value(after, "vaultroom_messages_posted_total") - value(before, "vaultroom_messages_posted_total")).toBe(10);
    // prom-client's own collectors work in the binary (event-loop lag, memory), and ours read real values.
    expect(value(after, "vaultroom_build_info")).toBe(1);
    expect(value(after, "vaultroom_nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(value(after, "vaultroom_process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
    expect(value(after, "vaultroom_database_size_bytes")).toBeGreaterThan(0);
    expect(value(after, "vaultroom_certificate_expiry_seconds")).toBeGreaterThan(DAY / 1000);
    expect(value(after, "vaultroom_write_batch_size")).toBeGreaterThan(0);

    const loopback = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(loopback.status).toBe(200);
    expect(parse(await loopback.text()).some((f) => f.name === "vaultroom_messages_posted_total")).toBe(true);
  });

  test("sets a 30-day retention that actually deletes, and the deletion is counted", async () => {
    const old = await call("POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body: MARKER });
    oldId = ((await old.json()) as { message: { id: number } }).message.id;
    // Make it 40 days old, as another process would (WAL: the server keeps running).
    const db = new Database(join(dir, "data", "vaultroom.db"));
    try {
      db.exec("PRAGMA busy_timeout = 10000");
      db.query("UPDATE messages SET created_at = ? WHERE id = ?").run(Date.now() - 40 * DAY, oldId);
    } finally {
      db.close();
    }
    const before = value(await scrape(), "vaultroom_messages_deleted_total", { cause: "retention" });

    const set = await call("PUT", "/api/admin/retention", { messageDays: 30, fileDays: null });
    expect(set.status).toBe(200);
    // Setting a limit starts a pass at once; wait for it (bounded) through the public history.
    const deadline = Date.now() + 20_000;
    let ids: number[] = [];
    for (;;) {
      const history = (await (await call("GET", `/api/rooms/${roomId}/messages?limit=100`)).json()) as { messages: { id: number }[] };
      ids = history.messages.map((m) => m.id);
      if (!ids.includes(oldId) || Date.now() > deadline) break;
      await Bun.sleep(100);
    }
    expect(ids).not.toContain(oldId);
    expect(ids.length).toBe(10);
    expect(value(await scrape(), "vaultroom_messages_deleted_total", { cause: "retention" }) - before).toBe(1);
  });

  test("with the server stopped: the audit chain verifies, exports as JSON lines, and names an edited entry; a backup lacks the deleted text", async () => {
    expect(await server.stop()).toBe(0);

    const verified = await vaultroom(["audit", "verify"]);
    expect(verified.stderr).toBe("");
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("audit log OK");

    const exported = await vaultroom(["audit", "export"]);
    expect(exported.code).toBe(0);
    const entries = exported.stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: number; event: string; detail: unknown });
    const retention = entries.find((e) => e.event === "retention_changed");
    expect(retention).toMatchObject({ detail: { messageDays: 30, fileDays: null } });
    auditIdOfRetention = retention!.id;

    const archive = join(dir, "after-retention.tar");
    const backup = await vaultroom(["backup", archive]);
    expect(backup.code).toBe(0);
    const bytes = readFileSync(archive);
    expect(bytes.includes("metered 9")).toBe(true);
    expect(bytes.includes(MARKER)).toBe(false);

    // Someone edits the entry that recorded the retention change: verify fails and names it.
    const db = new Database(join(dir, "data", "vaultroom.db"));
    try {
      db.query("UPDATE audit_log SET detail = ? WHERE id = ?").run(JSON.stringify({ messageDays: null, fileDays: null }), auditIdOfRetention);
    } finally {
      db.close();
    }
    const tampered = await vaultroom(["audit", "verify"]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`FAILED at entry #${auditIdOfRetention}`);
  });
});
