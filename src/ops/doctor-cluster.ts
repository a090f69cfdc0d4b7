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
    await checkSearchSupport(sql, findings);
  } catch (error) {
    findings.problem(`Postgres at ${where} cannot be reached: ${describeError(error)}`);
  } finally {
    await sql.close();
  }
}

/**
 * Search (migration 009) needs unaccent and pg_trgm, and a UTF-8 character type: under plain C the
 * word index takes letters outside ASCII for separators, and finds less than SQLite would.
 */
async function checkSearchSupport(sql: SQL, findings: Findings): Promise<void> {
  const [db] = (await sql.unsafe("SELECT datctype FROM pg_database WHERE datname = current_database()")) as { datctype: string }[];
  const ctype = db?.datctype ?? "";
  if (/utf-?8/i.test(ctype)) findings.ok(`the database's character type ${ctype} is UTF-8: search folds accents and splits words in every script`);
  else
    findings.warning(
      `the database's character type is ${ctype || "unknown"}, not UTF-8: search treats letters outside ASCII as separators (create the database with LC_CTYPE 'C.UTF-8', see the README)`,
    );
  const installed = new Set(((await sql.unsafe("SELECT extname FROM pg_extension")) as { extname: string }[]).map((r) => r.extname));
  const available = new Set(
    ((await sql.unsafe("SELECT name FROM pg_available_extensions WHERE name IN ('unaccent', 'pg_trgm')")) as { name: string }[]).map((r) => r.name),
  );
  for (const name of ["unaccent", "pg_trgm"]) {
    if (installed.has(name)) findings.ok(`the ${name} extension is installed (search)`);
    else if (available.has(name)) findings.ok(`the ${name} extension is available; the first node to start creates it (search)`);
    else findings.problem(`the ${name} extension is not available on this server: install PostgreSQL's contrib extensions (Debian: postgresql), search needs it`);
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
