// Secrets the server needs, generated on first start. The embedded engine keeps them in the data
// directory (secrets.json, 0600), beside the database. A cluster keeps them in its database so that
// every node signs and checks the same session tokens; the first node to start creates them and the
// others read what it wrote (INSERT … ON CONFLICT DO NOTHING, then read back).
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { settings } from "./accounts/settings.ts";
import { command, type Store } from "./db/store.ts";
import { sql } from "./db/query.ts";

export interface Secrets {
  /** Key for signing session tokens (HS256); 32 random bytes, base64url. */
  sessionKey: string;
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

export function loadOrCreateSecrets(dataDir: string): Secrets {
  const path = join(dataDir, "secrets.json");
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Secrets>;
    if (typeof parsed.sessionKey !== "string" || parsed.sessionKey.length < 43) {
      throw new Error(`${path} is damaged: sessionKey is missing or too short`);
    }
    chmodSync(path, 0o600);
    return { sessionKey: parsed.sessionKey };
  }
  const secrets: Secrets = { sessionKey: randomKey() };
  writeFileSync(path, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}

const SESSION_KEY = "secret.session_key";
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
  return { sessionKey };
}
