// The load client: runs ONE scenario against ONE server, in its own process (the orchestrator pins it
// to a core of its own), and prints the result as JSON on the last line of stdout.
//
//   bun bench/load-client.ts JOB.json
import type { Job, JobResult } from "./lib/job.ts";
import { runFanout } from "./scenarios/fanout.ts";
import { runHistory } from "./scenarios/history.ts";
import { runIdle } from "./scenarios/idle.ts";
import { runIngest } from "./scenarios/ingest.ts";
import { runLatency } from "./scenarios/latency.ts";
import { runLoginStorm } from "./scenarios/login-storm.ts";
import { runPurge } from "./scenarios/purge.ts";
import { runSlowDisk } from "./scenarios/slow-disk.ts";

async function run(job: Job): Promise<JobResult> {
  switch (job.scenario) {
    case "fanout":
    case "conversation":
    case "notify":
      return runFanout(job);
    case "latency":
    case "notify-latency":
      return runLatency(job);
    case "ingest":
      return runIngest(job);
    case "idle":
      return runIdle(job);
    case "login-storm":
      return runLoginStorm(job);
    case "history":
      return runHistory(job);
    case "purge":
      return runPurge(job);
    case "slow-disk":
      return runSlowDisk(job);
  }
}

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: bun bench/load-client.ts JOB.json\n");
  process.exit(2);
}
const job = (await Bun.file(path).json()) as Job;
try {
  const result = await run(job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`load client failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
