// Postgres and Redis for the cluster tests: the ones .ci/run started (VAULTROOM_TEST_POSTGRES and
// VAULTROOM_TEST_REDIS), or private throwaway ones started here by scripts/test-services.sh — which a
// fault test always wants, since it stops and restarts them.
import { SQL } from "bun";
import { join } from "node:path";

const SCRIPT = join(import.meta.dir, "../../scripts/test-services.sh");

export interface Services {
  postgres: string;
  redis: string;
  /** A new, empty database on the Postgres server. */
  freshDatabase(): Promise<string>;
  /** Stops what this object started (nothing when it reuses CI's services). */
  stop(): Promise<void>;
  /** Private services only: */
  dir: string | null;
}

function parseExports(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^export (\w+)=(.*)$/.exec(line.trim());
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

export async function startServices(options: { private?: boolean } = {}): Promise<Services> {
  let postgres = process.env.VAULTROOM_TEST_POSTGRES;
  let redis = process.env.VAULTROOM_TEST_REDIS;
  let dir: string | null = null;
  if (options.private || !postgres || !redis) {
    const started = Bun.spawnSync(["bash", SCRIPT, "start"], { stderr: "pipe" });
    if (started.exitCode !== 0) throw new Error(`starting Postgres and Redis failed: ${started.stderr.toString()}`);
    const env = parseExports(started.stdout.toString());
    postgres = env.VAULTROOM_TEST_POSTGRES!;
    redis = env.VAULTROOM_TEST_REDIS!;
    dir = env.VAULTROOM_SERVICES_DIR!;
  }
  const admin = new SQL({ url: postgres, max: 1 });
  let counter = 0;
  return {
    postgres: postgres!,
    redis: redis!,
    dir,
    async freshDatabase() {
      const name = `vrc_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      const url = new URL(postgres!);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      await admin.close();
      if (dir) Bun.spawnSync(["bash", SCRIPT, "stop", dir]);
    },
  };
}

/** Stops or starts a private service (fault tests). */
export function redisPort(services: Services): number {
  return Number(new URL(services.redis).port);
}

export function restartRedis(services: Services, downMs: number): Promise<void> {
  if (!services.dir) throw new Error("only private services may be restarted");
  const port = String(redisPort(services));
  Bun.spawnSync(["redis-cli", "-p", port, "shutdown", "nosave"]);
  return Bun.sleep(downMs).then(() => {
    Bun.spawnSync(["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", `${services.dir}/redis.pid`, "--logfile", `${services.dir}/redis.log`, "--dir", services.dir!]);
  });
}

const pgBin = () => {
  const dirs = Bun.spawnSync(["bash", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1"]).stdout.toString().trim();
  return dirs;
};

function asPostgres(args: string[]): string[] {
  return process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...args] : args;
}

export function stopPostgres(services: Services): void {
  if (!services.dir) throw new Error("only private services may be stopped");
  Bun.spawnSync(asPostgres([`${pgBin()}/pg_ctl`, "-D", `${services.dir}/pg`, "-m", "fast", "-w", "stop"]));
}

export function startPostgres(services: Services): void {
  if (!services.dir) throw new Error("only private services may be started");
  const port = new URL(services.postgres).port;
  Bun.spawnSync(
    asPostgres([`${pgBin()}/pg_ctl`, "-D", `${services.dir}/pg`, "-l", `${services.dir}/pg.log`, "-w", "-o", `-p ${port} -k ${services.dir} -c listen_addresses=127.0.0.1 -c max_connections=400`, "start"]),
  );
}
