// `vaultroom doctor` for a cluster node: can it reach Postgres and Redis, is the schema what this
// VaultRoom expects, can pub/sub carry a message, and is the shared files directory there. Changes
// nothing (the schema is read, never migrated).
import { RedisClient, SQL } from "bun";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { LATEST_SCHEMA } from "../db/migrations/index.ts";
import { schemaVersion } from "../db/postgres/migrate.ts";
import { redactUrl } from "../db/postgres/store.ts";
import { describeError } from "../errors.ts";
import { Findings } from "./doctor.ts";

export interface ClusterDoctorOptions {
  databaseUrl: string;
  redisUrl: string | null;
  filesDir: string;
}

export async function examineCluster(options: ClusterDoctorOptions, findings = new Findings()): Promise<Findings> {
  await checkPostgres(options.databaseUrl, findings);
  if (options.redisUrl) await checkRedis(options.redisUrl, findings);
  else findings.warning("no --redis: only one node may run on this database (several nodes need Redis for delivery, presence and limits)");
  checkFilesDir(options.filesDir, findings);
  return findings;
}

async function checkPostgres(url: string, findings: Findings): Promise<void> {
  const sql = new SQL({ url, max: 1, connectionTimeout: 5 });
  const where = redactUrl(url);
  try {
    const started = performance.now();
    const rows = (await sql.unsafe("SHOW server_version")) as { server_version: string }[];
    const version = rows[0]?.server_version;
    findings.ok(`Postgres at ${where} answers (${Math.round(performance.now() - started)} ms)${version ? `, version ${version}` : ""}`);
    const schema = await schemaVersion(sql);
    if (schema > LATEST_SCHEMA) findings.problem(`the database has schema version ${schema}, newer than this VaultRoom knows (${LATEST_SCHEMA}): run the newer VaultRoom`);
    else if (schema === 0) findings.warning("the database has no VaultRoom schema yet: the first node to start sets it up");
    else if (schema < LATEST_SCHEMA) findings.warning(`schema version ${schema}; the next node to start upgrades it to ${LATEST_SCHEMA} (back up first)`);
    else findings.ok(`schema version ${schema} is current`);
  } catch (error) {
    findings.problem(`Postgres at ${where} cannot be reached: ${describeError(error)}`);
  } finally {
    await sql.close();
  }
}

async function checkRedis(url: string, findings: Findings): Promise<void> {
  const commands = new RedisClient(url, { connectionTimeout: 3000, autoReconnect: false, enableOfflineQueue: false });
  const subscriber = new RedisClient(url, { connectionTimeout: 3000, autoReconnect: false });
  try {
    await commands.connect();
    const info = String(await commands.send("INFO", ["server"]));
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? /valkey_version:([^\r\n]+)/.exec(info)?.[1];
    findings.ok(`Redis answers${version ? `, version ${version}` : ""}`);
    await subscriber.connect();
    const channel = `vaultroom:doctor:${crypto.randomUUID()}`;
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2000);
      void subscriber.subscribe(channel, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    await Bun.sleep(50);
    await commands.publish(channel, "ping");
    if (await heard) findings.ok("Redis pub/sub carries messages between connections");
    else findings.problem("Redis accepted a publish but the subscriber heard nothing within 2 s");
  } catch (error) {
    findings.problem(`Redis cannot be reached: ${describeError(error)} (nodes still serve, delivering across nodes from Postgres every second)`);
  } finally {
    subscriber.close();
    commands.close();
  }
}

function checkFilesDir(dir: string, findings: Findings): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    findings.problem(`the files directory ${dir} does not exist: every node needs the same shared directory (--files)`);
    return;
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK);
    findings.ok(`the files directory ${dir} is readable and writable`);
  } catch {
    findings.problem(`the files directory ${dir} is not readable and writable by this user`);
  }
}
