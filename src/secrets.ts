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
// - auditKey signs the audit log's checkpoints (src/audit/checkpoints.ts): it must never be in the
//   database it protects, so it too lives only in the secrets file; a cluster node whose key differs
//   refuses to start.
// - vapid, the Web Push key pair (browsers bind each subscription to the public key): from the file on
//   the embedded engine; a cluster keeps it in its database, created by the first node like the
//   session key, so that every node signs pushes with the same pair.
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { createHmac, timingSafeEqual } from "node:crypto";
import { dirname, join } from "node:path";
import { generateVapidKeys } from "./push/vapid-keys.ts";
import { keyId } from "./audit/checkpoints.ts";
import { settings } from "./accounts/settings.ts";
import { command, type Store } from "./db/store.ts";
import { sql } from "./db/query.ts";

export interface Secrets {
  /** Key for signing session tokens (HS256); 32 random bytes, base64url. */
  sessionKey: string;
  /** Key sealing TOTP secrets (AES-256-GCM); 32 random bytes, base64url. Only ever in the secrets file. */
  totpKey: string;
  /** Key for the audit log's signed checkpoints (HMAC-SHA256); 32 random bytes, base64url. Never in the database. */
  auditKey: string;
  /**
   * The VAPID key pair (RFC 8292) that signs Web Push requests: P-256, base64url. Browsers bind each
   * push subscription to the public key, so it must stay the same across restarts and nodes.
   */
  vapid: VapidKeys;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const validVapid = (keys: unknown): keys is VapidKeys =>
  typeof (keys as Partial<VapidKeys> | undefined)?.publicKey === "string" &&
  (keys as VapidKeys).publicKey.length === 87 &&
  typeof (keys as VapidKeys).privateKey === "string" &&
  (keys as VapidKeys).privateKey.length === 43;

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
const KEYS = ["sessionKey", "totpKey", "auditKey"] as const;

/** The data directory's secrets file, unless --secrets-file names another. */
export const defaultSecretsFile = (dataDir: string) => join(dataDir, "secrets.json");

const validKey = (value: unknown): value is string => typeof value === "string" && value.length >= 43;

function readSecretsFile(path: string): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  for (const key of KEYS) {
    if (parsed[key] !== undefined && !validKey(parsed[key])) throw new Error(`${path} is damaged: ${key} is not a key or too short`);
  }
  return parsed;
}

const complete = (parsed: Record<string, unknown>) => KEYS.every((key) => validKey(parsed[key])) && validVapid(parsed.vapid);

/** `content` in a new file (0600) beside `file`, on disk before this returns; its path. */
function writtenAside(file: string, content: unknown): string {
  const path = join(dirname(file), `.secrets-${process.pid}-${randomKey().slice(0, 8)}.tmp`);
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, JSON.stringify(content, null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * The secrets file's keys, creating the file (0600) or adding the keys it lacks (a file from before
 * totpKey or auditKey existed); keys other features add are kept as they are. A new file is written
 * aside and linked into place unless one exists, an existing one replaced by a rename (a crash leaves
 * the old file or the new one, never half of one),
 * and the file is read back afterwards: nodes sharing one file and starting together end up with the
 * same keys, whichever of them wrote.
 */
export function loadOrCreateSecrets(dataDir: string, file = defaultSecretsFile(dataDir)): Secrets {
  if (existsSync(file)) {
    const current = readSecretsFile(file);
    if (!validKey(current.sessionKey)) throw new Error(`${file} is damaged: sessionKey is missing or too short`);
    chmodSync(file, 0o600);
    if (!complete(current)) {
      for (const key of KEYS) if (current[key] === undefined) current[key] = randomKey();
      if (!validVapid(current.vapid)) current.vapid = generateVapidKeys();
      const next = writtenAside(file, current);
      renameSync(next, file);
    }
  } else {
    const fresh = { ...Object.fromEntries(KEYS.map((key) => [key, randomKey()])), vapid: generateVapidKeys() };
    const next = writtenAside(file, fresh);
    try {
      // Linked into place whole, only if no other node's file is there yet: a node starting at the
      // same moment never reads a file still being written (it did: "JSON Parse error: Unexpected EOF").
      linkSync(next, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(next);
    }
  }
  const written = readSecretsFile(file);
  if (!complete(written)) throw new Error(`${file} is damaged: a key is missing`);
  return {
    sessionKey: written.sessionKey as string,
    totpKey: written.totpKey as string,
    auditKey: written.auditKey as string,
    vapid: written.vapid as VapidKeys,
  };
}

const SESSION_KEY = "secret.session_key";
const VAPID_KEYS = "secret.vapid";
export const TOTP_KEY_CHECK = "secret.totp_key_check";
const insertIfMissing = sql<never, [string, string]>("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
const createSecret = command("secrets.create", async (tx, input: { key: string; value: string }) => {
  await tx.run(insertIfMissing, input.key, input.value);
});
const replaceSecret = command("secrets.replace", async (tx, input: { key: string; value: string }) => settings.set(tx, input.key, input.value));
const sealedSecrets = sql<{ n: number }, []>("SELECT COUNT(*) AS n FROM totp_secrets");

const AUDIT_KEY_ID = "audit.key_id";

/**
 * The cluster's shared secrets: the session key from the database (created by whichever node starts
 * first), the TOTP and audit keys from this node's secrets file. The first node records its audit
 * key's id (a one-way tag, not the key); a node with another key refuses to start, since checkpoints
 * signed with two keys could not all be verified. (The TOTP key is checked by checkTotpKey.)
 */
export async function loadOrCreateSharedSecrets(store: Store, file: { dataDir: string; secretsFile?: string }): Promise<Secrets> {
  let sessionKey = await settings.get(store.read, SESSION_KEY);
  if (sessionKey === null) {
    await store.write(createSecret, { key: SESSION_KEY, value: randomKey() });
    sessionKey = await settings.get(store.read, SESSION_KEY);
  }
  if (sessionKey === null || sessionKey.length < 43) throw new Error("the cluster's session key in the settings table is missing or damaged");
  // One JSON value for the pair: two nodes starting together cannot end up with halves of two pairs.
  let vapid = await settings.get(store.read, VAPID_KEYS);
  if (vapid === null) {
    await store.write(createSecret, { key: VAPID_KEYS, value: JSON.stringify(generateVapidKeys()) });
    vapid = await settings.get(store.read, VAPID_KEYS);
  }
  const keys: unknown = vapid === null ? undefined : JSON.parse(vapid);
  if (!validVapid(keys)) throw new Error("the cluster's VAPID keys in the settings table are missing or damaged");
  const path = file.secretsFile ?? join(file.dataDir, "secrets.json");
  const { auditKey, totpKey } = loadOrCreateSecrets(file.dataDir, path);
  const mine = keyId(auditKey);
  await store.write(createSecret, { key: AUDIT_KEY_ID, value: mine });
  const recorded = await settings.get(store.read, AUDIT_KEY_ID);
  if (recorded !== mine) {
    throw new Error(
      `the audit key in ${path} (id ${mine}) is not the one this cluster uses (id ${recorded}): ` +
        `give every node the same secrets file (--secrets-file), copied from the first node`,
    );
  }
  return { sessionKey, totpKey, auditKey, vapid: keys };
}

/** The secrets a server (or a test's app) runs with, for either engine. */
export async function loadServerSecrets(store: Store, config: { dataDir: string; secretsFile?: string }): Promise<Secrets> {
  if (store.engine === "sqlite") return loadOrCreateSecrets(config.dataDir, config.secretsFile);
  return loadOrCreateSharedSecrets(store, config);
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
