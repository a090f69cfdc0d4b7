// `--cluster`: VaultRoom as a cluster on this machine. A throwaway Postgres and Redis on loopback
// (scripts/test-services.sh, the same as the cluster tests), one fresh database per bench run, and
// two nodes of the compiled binary on it (distinct ports and node ids, one secrets file, one files
// directory). The load client spreads members and senders across the nodes by index (even → node 1,
// odd → node 2), so about half of every delivery crosses nodes through Redis.
// The nodes' own output goes to log files, Postgres's and Redis's to their directory: never to the report.
import { SQL } from "bun";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { clientId } from "./wire.ts";
import { onCleanup, ROOT, startVaultRoomNode, type RunningServer, type StartOptions } from "./servers.ts";
import type { StoredCheck } from "./database.ts";

const SCRIPT = join(ROOT, "scripts", "test-services.sh");
export const CLUSTER_NODES = 2;

export interface Services {
  /** The fresh database of this bench run. */
  database: string;
  redis: string;
  stop(): void;
}

/** Starts Postgres and Redis and makes this run's database; stopped on exit, failure or Ctrl-C. */
export async function startServices(log: (line: string) => void): Promise<Services> {
  const started = Bun.spawnSync(["bash", SCRIPT, "start"], { stdout: "pipe", stderr: "pipe" });
  if (started.exitCode !== 0) throw new Error(`starting Postgres and Redis failed: ${started.stderr.toString().trim()}`);
  const env: Record<string, string> = {};
  for (const line of started.stdout.toString().split("\n")) {
    const match = /^export (\w+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  const dir = env.VAULTROOM_SERVICES_DIR!;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    Bun.spawnSync(["bash", SCRIPT, "stop", dir], { stdout: "ignore", stderr: "ignore" });
  };
  onCleanup(stop);
  try {
    const server = env.VAULTROOM_TEST_POSTGRES!;
    const name = `vrbench_${process.pid}_${Date.now().toString(36)}`;
    const admin = new SQL({ url: server, max: 1 });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = new URL(server);
    url.pathname = `/${name}`;
    log(`cluster: Postgres and Redis in ${dir}; database ${name}`);
    return { database: url.toString(), redis: env.VAULTROOM_TEST_REDIS!, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

export interface RunningCluster {
  nodes: RunningServer[];
  ports: number[];
  pids: number[];
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  logTail(): Promise<string>;
}

/** Two nodes on the services; `tag` names their data directories and logs. */
export async function startCluster(
  services: Services,
  root: string,
  certsDir: string,
  tag: string,
  options: Omit<StartOptions, "logFile"> & { profileDir?: string },
): Promise<RunningCluster> {
  const shared = join(root, "cluster-shared");
  mkdirSync(join(shared, "files"), { recursive: true, mode: 0o700 });
  const args = (name: string) => [
    "--database", services.database,
    "--redis", services.redis,
    "--files", join(shared, "files"),
    "--secrets-file", join(shared, "secrets.json"),
    "--node-id", name,
  ];
  // One after the other: the first start runs the migrations and writes the secrets file.
  const nodes: RunningServer[] = [];
  try {
    for (let i = 1; i <= CLUSTER_NODES; i++) {
      const name = `node-${i}`;
      nodes.push(
        await startVaultRoomNode(join(root, `${tag}-${name}`), certsDir, args(name), {
          ...options,
          logFile: join(root, `${tag}-${name}.log`),
          profileDir: options.profileDir ? join(options.profileDir, name) : undefined,
        }),
      );
    }
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop("SIGKILL")));
    throw error;
  }
  return {
    nodes,
    ports: nodes.map((n) => n.port),
    pids: nodes.map((n) => n.pid),
    async stop(signal = "SIGTERM") {
      await Promise.all(nodes.map((node) => node.stop(signal)));
    },
    async logTail() {
      return (await Promise.all(nodes.map(async (node, i) => `node-${i + 1}:\n${await node.logTail()}`))).join("\n");
    },
  };
}

/**
 * The Postgres twin of checkStored (database.ts): after the nodes were killed, exactly the
 * acknowledged messages of each sender are in the table (at least those, with `killedMidRun`). Returns the problems and how many
 * acknowledged messages are missing in all.
 */
export async function checkStoredPostgres(
  database: string,
  checks: StoredCheck[],
  options: { killedMidRun?: boolean } = {},
): Promise<{ problems: string[]; missing: number }> {
  const db = new SQL({ url: database, max: 1 });
  const problems: string[] = [];
  let missing = 0;
  try {
    for (const c of checks) {
      const [row] = await db`SELECT count(*)::int AS n FROM messages WHERE author_id = ${c.author} AND room_id = ${c.roomId}
        AND client_id >= ${clientId(c.run, c.sender, 0)} AND client_id < ${clientId(c.run, c.sender, c.sent)}`;
      const n = (row as { n: number }).n;
      if (n < c.acked) missing += c.acked - n;
      // After a kill mid-run, a message may be committed whose ack died with the node: more is fine.
      const wrong = options.killedMidRun ? n < c.acked : n !== c.acked;
      if (wrong && problems.length < 10) problems.push(`user ${c.author} had ${c.acked} messages acknowledged but ${n} stored`);
    }
  } finally {
    await db.close();
  }
  return { problems, missing };
}
