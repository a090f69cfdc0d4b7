// Secrets the server needs, generated on first start. The embedded engine keeps them in the data
// directory (secrets.json, 0600), beside the database. A cluster keeps them in its database so that
// every node signs and checks the same session tokens (and Web Push's VAPID signatures); the first
// node to start creates them and the others read what it wrote (INSERT … ON CONFLICT DO NOTHING,
// then read back).
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import webpush from "web-push";
import { join } from "node:path";
import { settings } from "./accounts/settings.ts";
import { command, type Store } from "./db/store.ts";
import { sql } from "./db/query.ts";

export interface Secrets {
  /** Key for signing session tokens (HS256); 32 random bytes, base64url. */
  sessionKey: string;
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

const validVapid = (keys: Partial<VapidKeys> | undefined): keys is VapidKeys =>
  typeof keys?.publicKey === "string" && keys.publicKey.length === 87 && typeof keys.privateKey === "string" && keys.privateKey.length === 43;

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

export function loadOrCreateSecrets(dataDir: string): Secrets {
  const path = join(dataDir, "secrets.json");
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Secrets>;
    if (typeof parsed.sessionKey !== "string" || parsed.sessionKey.length < 43) {
      throw new Error(`${path} is damaged: sessionKey is missing or too short`);
    }
    chmodSync(path, 0o600);
    if (validVapid(parsed.vapid)) return { sessionKey: parsed.sessionKey, vapid: parsed.vapid };
    // A data directory from before Web Push: the keys are added, everything else kept (written aside,
    // then renamed over, so a crash leaves the old file whole).
    const secrets: Secrets = { ...parsed, sessionKey: parsed.sessionKey, vapid: webpush.generateVAPIDKeys() };
    writeFileSync(`${path}.tmp`, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
    return { sessionKey: secrets.sessionKey, vapid: secrets.vapid };
  }
  const secrets: Secrets = { sessionKey: randomKey(), vapid: webpush.generateVAPIDKeys() };
  writeFileSync(path, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}

const SESSION_KEY = "secret.session_key";
const VAPID_KEYS = "secret.vapid";
const insertIfMissing = sql<never, [string, string]>("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
const createSecret = command("secrets.create", async (tx, input: { key: string; value: string }) => {
  await tx.run(insertIfMissing, input.key, input.value);
});

/** The cluster's shared secrets, created by whichever node starts first. */
export async function loadOrCreateSharedSecrets(store: Store): Promise<Secrets> {
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
  const keys = vapid === null ? undefined : (JSON.parse(vapid) as Partial<VapidKeys>);
  if (!validVapid(keys)) throw new Error("the cluster's VAPID keys in the settings table are missing or damaged");
  return { sessionKey, vapid: keys };
}
