// VaultRoom nodes for the cluster tests: the compiled binary, as an operator runs it, on a shared
// Postgres database, Redis and files directory, each on its own port and data directory.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBinary, type RunningBinary } from "../support/binary.ts";
import type { Services } from "./services.ts";

export interface Cluster {
  nodes: RunningBinary[];
  database: string;
  filesDir: string;
  /** Starts one more node (or restarts one by name). */
  addNode(name: string): Promise<RunningBinary>;
  stop(): Promise<void>;
}

export async function startCluster(services: Services, options: { nodes?: number; args?: string[]; redis?: boolean } = {}): Promise<Cluster> {
  const database = await services.freshDatabase();
  const shared = mkdtempSync(join(tmpdir(), "vaultroom-cluster-"));
  const filesDir = join(shared, "files");
  mkdirSync(filesDir, { mode: 0o700 });
  const nodes: RunningBinary[] = [];
  const start = (name: string) =>
    startBinary({
      args: [
        "--database", database,
        ...(options.redis === false ? [] : ["--redis", services.redis]),
        "--files", filesDir,
        // The TOTP key is never in the database: every node reads the same secrets file.
        "--secrets-file", join(shared, "secrets.json"),
        "--node-id", name,
        ...(options.args ?? []),
      ],
    });
  // Started together: migrations run under an advisory lock, and every node must come up.
  nodes.push(...(await Promise.all(Array.from({ length: options.nodes ?? 2 }, (_, i) => start(`node-${i + 1}`)))));
  return {
    nodes,
    database,
    filesDir,
    async addNode(name: string) {
      const node = await start(name);
      nodes.push(node);
      return node;
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.stop().catch(() => 0)));
    },
  };
}
