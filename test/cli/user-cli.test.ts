// `vaultroom user ...` run as the operator would: a subprocess against a data directory, then the
// server's own login checks what it did.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "../../src/app.ts";
import { databasePath } from "../../src/db/data-dir.ts";
import { openStore } from "../../src/db/open-store.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { silentLogger } from "../../src/log.ts";
import { loadOrCreateSecrets } from "../../src/secrets.ts";
import { createAssetStore } from "../../src/web/assets.ts";
import { EMBEDDED_FILES } from "../../src/web/embedded.generated.ts";
import { BASE, ORIGIN, tempDir, testConfig } from "../support/app.ts";

// Each test starts the CLI (a Bun process) up to three times, some hashing a password: on a shared
// machine that takes longer than the default 5 s.
setDefaultTimeout(30_000);

const root = join(import.meta.dir, "../..");
const dataDir = join(tempDir(), "data");
afterAll(() => rmSync(join(dataDir, ".."), { recursive: true, force: true }));

async function vaultroom(args: string[], stdin?: string) {
  const child = Bun.spawn(["bun", "src/main.ts", ...args, "--data", dataDir], {
    cwd: root,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NODE_ENV: "production" },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

/** A JSON POST to the real app on the same data directory (the CLI has exited by then). */
async function post(path: string, json: unknown): Promise<Response> {
  const config = testConfig(dataDir);
  const store = await openStore(config);
  try {
    const app = createApp({
      store,
      config,
      logger: silentLogger,
      assets: createAssetStore(EMBEDDED_FILES),
      secrets: loadOrCreateSecrets(dataDir),
      selfSigned: true,
      startedAt: Date.now(),
    });
    const response = await app.handle(
      new Request(`${BASE}${path}`, { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify(json) }),
    );
    // Read before the store closes; the caller gets a response it can still read.
    return new Response(await response.arrayBuffer(), { status: response.status, headers: response.headers });
  } finally {
    await store.close();
  }
}

/** Logs in through the real app on the same data directory. */
async function login(username: string, password: string): Promise<{ status: number; user?: { isAdmin: boolean; mustChangePassword: boolean } }> {
  const response = await post("/api/auth/login", { username, password });
  const body = (await response.json()) as { user?: { isAdmin: boolean; mustChangePassword: boolean } };
  return { status: response.status, user: body.user };
}

const oneTimePassword = (stdout: string) => /one-time password: (\S+)/.exec(stdout)?.[1] ?? "";

describe("vaultroom user", () => {
  test("list on a directory without data fails clearly", async () => {
    const result = await vaultroom(["user", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no VaultRoom data in");
  });

  test("create with a piped password makes the first account, an admin, who can log in", async () => {
    const result = await vaultroom(["user", "create", "operator"], "granite meadow falcon 7\n");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created user "operator"');
    expect(result.stdout).toContain("administrator");
    expect(result.stdout).not.toContain("granite meadow falcon 7");
    const session = await login("operator", "granite meadow falcon 7");
    expect(session).toMatchObject({ status: 200, user: { isAdmin: true, mustChangePassword: false } });
  });

  test("create without piped input generates a one-time password, printed once, that must be changed", async () => {
    const result = await vaultroom(["user", "create", "helper"]);
    expect(result.code).toBe(0);
    const password = oneTimePassword(result.stdout);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(result.stdout).not.toContain("administrator");
    expect(await login("helper", password)).toMatchObject({ status: 200, user: { isAdmin: false, mustChangePassword: true } });
  });

  test("create --admin makes an administrator", async () => {
    const result = await vaultroom(["user", "create", "deputy", "--admin"], "quartz lighthouse ember 9\n");
    expect(result.code).toBe(0);
    expect(await login("deputy", "quartz lighthouse ember 9")).toMatchObject({ status: 200, user: { isAdmin: true } });
  });

  test("create applies the same rules as registration", async () => {
    const taken = await vaultroom(["user", "create", "0perator"], "granite meadow falcon 8\n");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("looks too much like an existing one");
    const common = await vaultroom(["user", "create", "newbie"], "1234567890\n");
    expect(common.code).toBe(1);
    expect(common.stderr).toContain("commonly used");
    const bidi = await vaultroom(["user", "create", "evil\u202Eman"], "granite meadow falcon 8\n");
    expect(bidi.code).toBe(1);
  });

  test("reset-password prints a one-time link; using it sets the password and ends every session, once", async () => {
    const before = await login("operator", "granite meadow falcon 7");
    expect(before.status).toBe(200);
    const result = await vaultroom(["user", "reset-password", "OPERATOR"]);
    expect(result.code).toBe(0);
    const link = /https:\/\/\S+\/reset-password#token=([A-Za-z0-9_-]{43})/.exec(result.stdout);
    expect(link).not.toBeNull();
    expect(result.stdout).toContain("works once");
    const token = link![1]!;
    const sessionsLeft = () => {
      const db = openDatabase(databasePath(dataDir));
      try {
        return (db.query("SELECT COUNT(*) AS n FROM sessions JOIN users ON users.id = sessions.user_id WHERE username = 'operator'").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(sessionsLeft()).toBeGreaterThan(0);
    const use = () => post("/api/auth/reset-password", { token, newPassword: "granite meadow falcon 9" });
    expect((await use()).status).toBe(204);
    expect(sessionsLeft()).toBe(0);
    expect((await login("operator", "granite meadow falcon 7")).status).toBe(401);
    expect(await login("operator", "granite meadow falcon 9")).toMatchObject({ status: 200 });
    expect(((await (await use()).json()) as { error: string }).error).toBe("reset_link_invalid");
    const db = openDatabase(databasePath(dataDir));
    try {
      const row = db.query("SELECT event, target FROM audit_log WHERE event = 'password_reset_link_created'").get();
      expect(row).toEqual({ event: "password_reset_link_created", target: "operator" });
    } finally {
      db.close();
    }
  });

  test("reset-password of an unknown user fails clearly", async () => {
    const result = await vaultroom(["user", "reset-password", "ghost"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('there is no user "ghost"');
  });

  test("list shows every account with its role and status", async () => {
    const result = await vaultroom(["user", "list"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+USERNAME\s+ROLE\s+STATUS\s+CREATED\s+LAST SEEN$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(1, 4))).toEqual([
      ["deputy", "admin", "active"],
      ["helper", "user", "must-change-password"],
      // Its password was set through a reset link: nothing left to change.
      ["operator", "admin", "active"],
    ]);
  });
});
