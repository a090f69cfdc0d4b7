// `vaultroom audit verify` and `vaultroom audit export`, run as the operator would: a subprocess
// against the data directory a server wrote (the key from its secrets.json, or --secrets-file).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createAuditLog } from "../../src/accounts/audit.ts";
import { createAuditTrail } from "../../src/audit/trail.ts";
import { openStore } from "../../src/db/open-store.ts";
import { silentLogger } from "../../src/log.ts";
import { loadOrCreateSecrets } from "../../src/secrets.ts";
import { tempDir, testConfig } from "../support/app.ts";

setDefaultTimeout(30_000);

const root = join(import.meta.dir, "../..");
const dataDir = join(tempDir(), "data");
afterAll(() => rmSync(join(dataDir, ".."), { recursive: true, force: true }));

async function vaultroom(args: string[]) {
  const child = Bun.spawn(["bun", "src/main.ts", ...args, "--data", dataDir], {
    cwd: root,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NODE_ENV: "production" },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

/** Works on the data directory as a server would, then closes it. */
async function withServerData(work: (parts: { store: Awaited<ReturnType<typeof openStore>>; trail: ReturnType<typeof createAuditTrail> }) => Promise<void>) {
  const config = testConfig(dataDir);
  const store = await openStore(config);
  const secrets = loadOrCreateSecrets(dataDir);
  try {
    await work({ store, trail: createAuditTrail({ store, key: secrets.auditKey, logger: silentLogger }) });
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  await withServerData(async ({ store, trail }) => {
    const audit = createAuditLog(store);
    await audit.record("invite_created", { target: "a" }, Date.parse("2026-01-01T00:00:00Z"));
    await audit.record("server_name_changed", { target: "b" }, Date.parse("2026-03-01T00:00:00Z"));
    await audit.record("invite_revoked", { target: "c" }, Date.parse("2026-05-01T00:00:00Z"));
    await trail.checkpoint();
  });
});

describe("vaultroom audit", () => {
  test("verify passes on an honest log, then fails naming the edited entry", async () => {
    const ok = await vaultroom(["audit", "verify"]);
    expect(ok.stdout).toContain("audit log OK: 3 entries");
    expect(ok.code).toBe(0);

    // Someone with the database file (but not the secrets file) edits an entry.
    const db = new Database(join(dataDir, "vaultroom.db"));
    db.run("UPDATE audit_log SET target = 'z' WHERE event = 'server_name_changed'");
    db.close();
    const bad = await vaultroom(["audit", "verify"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("audit log FAILED at entry #2 (altered)");
  });

  test("verify without the key says where to find it", async () => {
    const none = await vaultroom(["audit", "verify", "--secrets-file", join(dataDir, "nowhere.json")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("holds no audit key");
  });

  test("export writes JSON lines with the chain fields, from --since on", async () => {
    const all = await vaultroom(["audit", "export"]);
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: number; event: string; at: string; hash: string; prevHash: string });
    expect(lines.map((l) => l.event)).toEqual(["invite_created", "server_name_changed", "invite_revoked"]);
    expect(lines[1]!.prevHash).toBe(lines[0]!.hash);
    const recent = await vaultroom(["audit", "export", "--since", "2026-02-01"]);
    expect(recent.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { event: string }).event)).toEqual(["server_name_changed", "invite_revoked"]);
    const wrong = await vaultroom(["audit", "export", "--since", "yesterday"]);
    expect(wrong.code).toBe(2);
  });
});
