// TOTP secrets at rest (src/accounts/secret-box.ts, src/secrets.ts): a copy of the database without
// the secrets file cannot produce codes, and a node with another secrets file refuses to start.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSecretBox } from "../../src/accounts/secret-box.ts";
import { codeAt, newTotpSecret } from "../../src/accounts/totp.ts";
import { openStore } from "../../src/db/open-store.ts";
import { checkTotpKey, loadOrCreateSecrets, SecretsMismatchError } from "../../src/secrets.ts";
import { sql } from "../../src/db/query.ts";
import { tempDir } from "../support/app.ts";
import { ACCOUNT_SECURITY_COMMANDS, sealTotpRow } from "../support/account-security-commands.ts";

const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

describe("sealed TOTP secrets", () => {
  test("open only with the same key and the same purpose", () => {
    const box = createSecretBox(key());
    const secret = newTotpSecret();
    const sealed = box.seal(secret, "totp:1");
    expect(Buffer.from(box.open(sealed, "totp:1")!).equals(Buffer.from(secret))).toBe(true);
    // Another account's row: the additional data differs.
    expect(box.open(sealed, "totp:2")).toBeNull();
    // Another key (a database copied without its secrets file, opened with a new one).
    expect(createSecretBox(key()).open(sealed, "totp:1")).toBeNull();
    // A flipped bit anywhere.
    for (const at of [0, 5, 20, sealed.length - 1]) {
      const damaged = sealed.slice();
      damaged[at]! ^= 1;
      expect(box.open(damaged, "totp:1")).toBeNull();
    }
  });

  test("the sealed bytes hold neither the secret nor anything that yields its codes", () => {
    const secret = newTotpSecret();
    const sealed = createSecretBox(key()).seal(secret, "totp:1");
    expect(Buffer.from(sealed).includes(Buffer.from(secret))).toBe(false);
    // Taking the box's bytes as if they were the secret gives other codes.
    const now = Date.now();
    expect(codeAt(sealed.subarray(1, 21), now)).not.toBe(codeAt(secret, now));
    // Two seals of one secret differ (a fresh nonce each time).
    const box = createSecretBox(key());
    expect(Buffer.from(box.seal(secret, "totp:1")).equals(Buffer.from(box.seal(secret, "totp:1")))).toBe(false);
  });
});

describe("the secrets file", () => {
  test("is created 0600 with a session key and a TOTP key; an older file gains the TOTP key and keeps its session key", () => {
    const dir = tempDir();
    const fresh = loadOrCreateSecrets(dir);
    expect(statSync(join(dir, "secrets.json")).mode & 0o777).toBe(0o600);
    expect(fresh.totpKey).not.toBe(fresh.sessionKey);
    const older = tempDir();
    writeFileSync(join(older, "secrets.json"), JSON.stringify({ sessionKey: fresh.sessionKey }), { mode: 0o600 });
    const upgraded = loadOrCreateSecrets(older);
    expect(upgraded.sessionKey).toBe(fresh.sessionKey);
    expect(upgraded.totpKey.length).toBeGreaterThanOrEqual(43);
    expect(JSON.parse(readFileSync(join(older, "secrets.json"), "utf8"))).toEqual(upgraded);
    expect(loadOrCreateSecrets(older)).toEqual(upgraded);
  });

  test("--secrets-file names another place; the database records only a check value of the key", async () => {
    const dir = tempDir();
    const file = join(tempDir(), "shared-secrets.json");
    const secrets = loadOrCreateSecrets(dir, file);
    expect(existsSync(join(dir, "secrets.json"))).toBe(false);
    const store = await openStore({ dataDir: dir, databaseUrl: null });
    try {
      await checkTotpKey(store, secrets, file);
      const rows = await store.read.all(sql<{ key: string; value: string }, []>("SELECT key, value FROM settings"));
      expect(JSON.stringify(rows)).not.toContain(secrets.totpKey);
      expect(rows.some((row) => row.key === "secret.totp_key_check")).toBe(true);
    } finally {
      await store.close();
    }
  });

  test("a start with another key is refused once TOTP secrets are sealed (a node given the wrong file)", async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir, databaseUrl: null }, { commandModules: ACCOUNT_SECURITY_COMMANDS });
    try {
      const first = loadOrCreateSecrets(dir, join(dir, "a.json"));
      await checkTotpKey(store, first, "a.json");
      const other = loadOrCreateSecrets(dir, join(dir, "b.json"));
      // Nothing sealed yet: the embedded engine takes the new key (nothing is lost).
      await checkTotpKey(store, other, "b.json");
      await store.write(sealTotpRow, undefined);
      const refused = await checkTotpKey(store, first, "a.json").then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(SecretsMismatchError);
      await checkTotpKey(store, other, "b.json");
    } finally {
      await store.close();
    }
  });
});
