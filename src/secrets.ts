// Secrets the server needs, generated on first start, in the secrets file (secrets.json in the data
// directory by default, 0600; --secrets-file names another):
// - sessionKey signs session tokens. The embedded engine takes it from the file. A cluster keeps it in
//   its database so that every node signs and checks the same tokens; the first node to start
//   creates it and the others read what it wrote (INSERT … ON CONFLICT DO NOTHING, then read back).
// - totpKey seals TOTP secrets in the database (accounts/secret-box.ts). It is never written to the
//   database, so a copy of the database alone cannot produce codes; in a cluster every node must be
//   started with the same --secrets-file. The database keeps only a check value (an HMAC of a fixed
//   text under the key), so a node started with another key refuses to start instead of failing
//   every code.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { settings } from "./accounts/settings.ts";
import { command, type Store } from "./db/store.ts";
import { sql } from "./db/query.ts";

export interface Secrets {
  /** Key for signing session tokens (HS256); 32 random bytes, base64url. */
  sessionKey: string;
  /** Key sealing TOTP secrets (AES-256-GCM); 32 random bytes, base64url. Only ever in the secrets file. */
  totpKey: string;
}

const CLUSTER_ID = "cluster.id";

/**
 * The cluster's name on Redis: every channel and key is prefixed with it, so two clusters (or two
 * test databases) sharing one Redis never hear each other.
 */
export async function loadOrCreateClusterId(store: Store): Promise<string> {
  let id = await settings.get(store.read, CLUSTER_ID);
  if (id === null) {
    await store.write(createSecret, { key: CLUSTER_ID, value: crypto.randomUUID() });
    id = await settings.get(store.read, CLUSTER_ID);
  }
  return id!;
}

const randomKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
const KEYS = ["sessionKey", "totpKey"] as const;

/** The data directory's secrets file, unless --secrets-file names another. */
export const defaultSecretsFile = (dataDir: string) => join(dataDir, "secrets.json");

function readSecretsFile(path: string): Partial<Secrets> {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Record<string, unknown>>;
  const found: Partial<Secrets> = {};
  for (const key of KEYS) {
    const value = parsed[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length < 43) throw new Error(`${path} is damaged: ${key} is not a key or too short`);
    found[key] = value;
  }
  return found;
}

/**
 * The secrets file's keys, creating the file (0600) or adding a key it lacks (a file from before
 * totpKey existed). A new file is created exclusively and an existing one replaced by a rename, and
 * the file is read back afterwards: nodes sharing one file and starting together end up with the
 * same keys, whichever of them wrote.
 */
export function loadOrCreateSecrets(dataDir: string, file = defaultSecretsFile(dataDir)): Secrets {
  if (existsSync(file)) {
    const current = readSecretsFile(file);
    chmodSync(file, 0o600);
    if (current.sessionKey && current.totpKey) return current as Secrets;
    const completed = { sessionKey: current.sessionKey ?? randomKey(), totpKey: current.totpKey ?? randomKey() };
    const temporary = `${file}.${randomKey().slice(0, 8)}.tmp`;
    writeFileSync(temporary, JSON.stringify(completed, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    renameSync(temporary, file);
  } else {
    try {
      writeFileSync(file, JSON.stringify({ sessionKey: randomKey(), totpKey: randomKey() }, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const written = readSecretsFile(file);
  if (!written.sessionKey || !written.totpKey) throw new Error(`${file} is damaged: a key is missing`);
  return written as Secrets;
}

const SESSION_KEY = "secret.session_key";
export const TOTP_KEY_CHECK = "secret.totp_key_check";
const insertIfMissing = sql<never, [string, string]>("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
const createSecret = command("secrets.create", async (tx, input: { key: string; value: string }) => {
  await tx.run(insertIfMissing, input.key, input.value);
});
const replaceSecret = command("secrets.replace", async (tx, input: { key: string; value: string }) => settings.set(tx, input.key, input.value));
const sealedSecrets = sql<{ n: number }, []>("SELECT COUNT(*) AS n FROM totp_secrets");

/** The cluster's shared secrets: the session key from the database, the TOTP key from the secrets file. */
export async function loadOrCreateSharedSecrets(store: Store, file: string): Promise<Secrets> {
  let sessionKey = await settings.get(store.read, SESSION_KEY);
  if (sessionKey === null) {
    await store.write(createSecret, { key: SESSION_KEY, value: randomKey() });
    sessionKey = await settings.get(store.read, SESSION_KEY);
  }
  if (sessionKey === null || sessionKey.length < 43) throw new Error("the cluster's session key in the settings table is missing or damaged");
  const fromFile = loadOrCreateSecrets("", file);
  return { sessionKey, totpKey: fromFile.totpKey };
}

export class SecretsMismatchError extends Error {}

/** The check value recorded in the database for a TOTP key (an HMAC of a fixed text: it reveals nothing of the key). */
export const totpKeyCheck = (totpKey: string) => createHmac("sha256", Buffer.from(totpKey, "base64url")).update("vaultroom totp key check v1").digest("base64url");

/**
 * Makes sure the TOTP key is the one that sealed the database's TOTP secrets. The first start records
 * a check value; a later start with another key is refused, except on the embedded engine while no
 * secret is sealed yet (nothing would be lost, and no other node can disagree).
 */
export async function checkTotpKey(store: Store, secrets: Secrets, file: string): Promise<void> {
  const mine = totpKeyCheck(secrets.totpKey);
  await store.write(createSecret, { key: TOTP_KEY_CHECK, value: mine });
  const recorded = (await settings.get(store.read, TOTP_KEY_CHECK)) ?? "";
  const same = recorded.length === mine.length && timingSafeEqual(Buffer.from(recorded), Buffer.from(mine));
  if (same) return;
  if (store.engine === "sqlite" && (await store.read.get(sealedSecrets))!.n === 0) {
    await store.write(replaceSecret, { key: TOTP_KEY_CHECK, value: mine });
    return;
  }
  throw new SecretsMismatchError(
    `the totpKey in ${file} is not the key that sealed this database's TOTP secrets: start every node with the same ` +
      `--secrets-file (or restore the secrets file that belongs to this database)`,
  );
}
