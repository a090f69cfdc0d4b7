// Secrets the server needs, generated on first start. The embedded engine keeps them in the data
// directory (secrets.json, 0600), beside the database, or in --secrets-file. A cluster keeps its
// session key in its database so that every node signs and checks the same session tokens; the first
// node to start creates it and the others read what it wrote (INSERT … ON CONFLICT DO NOTHING, then
// read back); so does its VAPID key pair (Web Push: browsers bind each subscription to the public
// key). The audit key signs the audit log's checkpoints (src/audit/checkpoints.ts): it must
// never be in the database it protects, so it lives only in the secrets file, and in a cluster every
// node is given the same file (--secrets-file); a node whose key differs refuses to start.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import webpush from "web-push";
import { keyId } from "./audit/checkpoints.ts";
import { settings } from "./accounts/settings.ts";
import { command, type Store } from "./db/store.ts";
import { sql } from "./db/query.ts";

export interface Secrets {
  /** Key for signing session tokens (HS256); 32 random bytes, base64url. */
  sessionKey: string;
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

const validKey = (value: unknown): value is string => typeof value === "string" && value.length >= 43;

/**
 * The secrets file (<data>/secrets.json unless `file` is given): read, completed with any key it
 * lacks (an older file has no audit key), or created. Keys other features add are kept as they are.
 */
export function loadOrCreateSecrets(dataDir: string, file: string = join(dataDir, "secrets.json")): Secrets {
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    if (!validKey(parsed.sessionKey)) throw new Error(`${file} is damaged: sessionKey is missing or too short`);
    if (parsed.auditKey !== undefined && !validKey(parsed.auditKey)) throw new Error(`${file} is damaged: auditKey is too short`);
    chmodSync(file, 0o600);
    // An older file lacks the audit key or the VAPID keys (from before Web Push): added, the rest kept.
    if (parsed.auditKey === undefined || !validVapid(parsed.vapid)) {
      if (parsed.auditKey === undefined) parsed.auditKey = randomKey();
      if (!validVapid(parsed.vapid)) parsed.vapid = webpush.generateVAPIDKeys();
      // Written beside and renamed: a crash leaves the old file or the new one, never half of one.
      const next = join(dirname(file), `.secrets-${process.pid}-${Date.now()}.tmp`);
      writeFileSync(next, JSON.stringify(parsed, null, 2) + "\n", { mode: 0o600, flag: "wx" });
      renameSync(next, file);
    }
    return { sessionKey: parsed.sessionKey, auditKey: parsed.auditKey as string, vapid: parsed.vapid as VapidKeys };
  }
  const secrets: Secrets = { sessionKey: randomKey(), auditKey: randomKey(), vapid: webpush.generateVAPIDKeys() };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}

const SESSION_KEY = "secret.session_key";
const VAPID_KEYS = "secret.vapid";
const insertIfMissing = sql<never, [string, string]>("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
const createSecret = command("secrets.create", async (tx, input: { key: string; value: string }) => {
  await tx.run(insertIfMissing, input.key, input.value);
});

const AUDIT_KEY_ID = "audit.key_id";

/**
 * The cluster's shared secrets: the session key from the database (created by whichever node starts
 * first), the audit key from this node's secrets file. The first node records its audit key's id (a
 * one-way tag, not the key); a node with another key refuses to start, since checkpoints signed with
 * two keys could not all be verified.
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
    await store.write(createSecret, { key: VAPID_KEYS, value: JSON.stringify(webpush.generateVAPIDKeys()) });
    vapid = await settings.get(store.read, VAPID_KEYS);
  }
  const keys: unknown = vapid === null ? undefined : JSON.parse(vapid);
  if (!validVapid(keys)) throw new Error("the cluster's VAPID keys in the settings table are missing or damaged");
  const path = file.secretsFile ?? join(file.dataDir, "secrets.json");
  const { auditKey } = loadOrCreateSecrets(file.dataDir, path);
  const mine = keyId(auditKey);
  await store.write(createSecret, { key: AUDIT_KEY_ID, value: mine });
  const recorded = await settings.get(store.read, AUDIT_KEY_ID);
  if (recorded !== mine) {
    throw new Error(
      `the audit key in ${path} (id ${mine}) is not the one this cluster uses (id ${recorded}): ` +
        `give every node the same secrets file (--secrets-file), copied from the first node`,
    );
  }
  return { sessionKey, auditKey, vapid: keys };
}

/** The secrets a server (or a test's app) runs with, for either engine. */
export async function loadServerSecrets(store: Store, config: { dataDir: string; secretsFile?: string }): Promise<Secrets> {
  if (store.engine === "sqlite") return loadOrCreateSecrets(config.dataDir, config.secretsFile);
  return loadOrCreateSharedSecrets(store, config);
}
