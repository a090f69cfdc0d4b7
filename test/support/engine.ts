// Which engine the black-box suites run against, chosen by VAULTROOM_TEST_ENGINE:
// - "sqlite" (the default): one app on a fresh embedded database;
// - "cluster": two nodes (two apps) on a fresh Postgres database and a shared Redis, each with its own
//   Redis link, exactly as two servers would run; requests and sockets are spread across both.
// VAULTROOM_TEST_POSTGRES names a server where the test user may create databases and
// VAULTROOM_TEST_REDIS a Redis (scripts/test-services.sh starts throwaway ones).
import { SQL } from "bun";

export type TestEngine = "sqlite" | "cluster";

export const TEST_ENGINE: TestEngine = process.env.VAULTROOM_TEST_ENGINE === "cluster" ? "cluster" : "sqlite";

let admin: SQL | null = null;
let counter = 0;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`VAULTROOM_TEST_ENGINE=cluster needs ${name} (eval "$(bash scripts/test-services.sh start)")`);
  return value;
}

export const testRedisUrl = () => required("VAULTROOM_TEST_REDIS");

/** null on SQLite; in cluster mode the URL of a new, empty Postgres database. */
export async function freshDatabaseUrl(): Promise<string | null> {
  if (TEST_ENGINE === "sqlite") return null;
  const base = required("VAULTROOM_TEST_POSTGRES");
  admin ??= new SQL({ url: base, max: 2 });
  const name = `vr_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
