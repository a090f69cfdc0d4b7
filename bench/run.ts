// The benchmark orchestrator (`bun run bench`, `bun run bench:quick`). Starts the compiled binary
// on loopback over TLS with fresh data, makes users through the real API, and drives it and the
// floor server with the load client in a separate process, server and client pinned to different
// cores. Prints a table, writes JSON to bench/results/. Exits non-zero when a run did not complete
// or an acknowledged message did not reach every member (targets missed are reported, not fatal).
//
//   bun bench/run.ts [--quick] [--runs N] [--only fanout,conversation,latency,...,push] [--nice N] [--profile] [--binary PATH] [--keep] [--peers] [--cluster]
//
// --peers (not in CI): fanout and latency also run against Node + ws and Node + socket.io 4.
// --cluster: fanout, latency and ingest also run on two nodes on a throwaway Postgres + Redis
// (bench/lib/cluster.ts), load spread across the nodes, reported beside the single-node figures.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { commitLatency } from "./lib/database.ts";
import type { JobResult } from "./lib/job.ts";
import { startServices, type Services } from "./lib/cluster.ts";
import { Bench, CLUSTER_SCENARIOS } from "./lib/orchestrator.ts";
import { placement } from "./lib/proc.ts";
import { renderSummary, summarize, type ScenarioName, type ScenarioRun } from "./lib/report.ts";
import { killStarted, ROOT, useBinary } from "./lib/servers.ts";
import { node } from "./lib/peers.ts";
import { straceAvailable } from "./lib/slow-disk.ts";
import { FULL, QUICK, type Sizes } from "./lib/sizes.ts";
import { runPushBench, type PushBenchResult } from "./lib/push-bench.ts";

const SCENARIOS: ScenarioName[] = ["fanout", "conversation", "notify", "latency", "notify-latency", "ingest", "idle", "login-storm", "history", "purge", "slow-disk"];
// --quick (CI) leaves out slow-disk unless named with --only: it needs strace and three more servers.
const WITHOUT_SLOW_DISK = SCENARIOS.filter((name) => name !== "slow-disk");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    nice: { type: "string" },
    profile: { type: "boolean", default: false },
    binary: { type: "string" },
    peers: { type: "boolean", default: false },
    cluster: { type: "boolean", default: false },
  },
});
const quick = values.quick!;
const sizes: Sizes = quick ? QUICK : FULL;
const runs = Number(values.runs ?? (quick ? 1 : 3));
// Without strace the default set leaves slow-disk out (said in the log); naming it with --only fails.
const canSlowDisk = straceAvailable();
// `push` (issue 12) runs on its own data, after the room scenarios: pushes/s to 1,000 subscribers.
const wanted = values.only ? values.only.split(",") : [...(quick || !canSlowDisk ? WITHOUT_SLOW_DISK : SCENARIOS), "push"];
for (const name of wanted)
  if (!SCENARIOS.includes(name as ScenarioName) && name !== "push") throw new Error(`unknown scenario ${name}; choose from ${SCENARIOS.join(", ")}, push`);
const selected = wanted.filter((name) => name !== "push") as ScenarioName[];
const pushWanted = wanted.includes("push");
const nodeFound = node();
if (values.peers && !nodeFound) throw new Error("--peers needs Node on PATH (the peers are Node servers)");
if (selected.includes("slow-disk") && !canSlowDisk)
  throw new Error("the slow-disk scenario needs strace (apt-get install strace); leave it out with --only");

const log = (line: string) => process.stderr.write(`${line}\n`);
// Normal priority unless asked: in trial runs nice -10 made loopback latency worse, not steadier
// (probably the kernel's deferred network work, in ksoftirqd at nice 0, waiting behind the load).
const place = placement(Number(values.nice ?? 0));
const root = mkdtempSync(join(tmpdir(), "vaultroom-bench-"));
const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
const machineBusyBefore = cpuSnapshot();

const binary = useBinary(values.binary);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killStarted();
    if (!values.keep) rmSync(root, { recursive: true, force: true });
    process.exit(130);
  });
}
const commitBefore = commitLatency(root);
log(`VaultRoom benchmarks${quick ? " (quick)" : ""}: ${runs} run(s) of ${wanted.join(", ")}`);
log(
  `machine: ${place.cores} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}; ${place.note}`,
);
log(`binary: ${binary}; work directory: ${root}`);
if (!values.only && !quick && !canSlowDisk) log("slow-disk left out: strace is not installed (apt-get install strace)");
if (values.peers) log(`peers: Node ${nodeFound!.version} (${nodeFound!.path}) with ws and socket.io 4`);

let failed = false;
const results: ScenarioRun[] = [];
const clusterWanted = values.cluster! && selected.some((name) => CLUSTER_SCENARIOS.includes(name));
if (values.cluster && !clusterWanted) log(`--cluster: none of ${CLUSTER_SCENARIOS.join(", ")} chosen, so no cluster runs`);
let services: Services | null = null;
const bench = new Bench({
  sizes,
  selected,
  place,
  root,
  keep: values.keep!,
  // --profile: VaultRoom runs from source under the CPU profiler; profiles land in bench/results/.
  profileRoot: values.profile ? join(ROOT, "bench", "results", `profile-${stamp}`) : undefined,
  log,
  peers: values.peers!,
  get cluster() {
    return services;
  },
});
const pushResults: PushBenchResult[] = [];
try {
  const seedData = selected.length ? await bench.makeSeed() : null;
  if (clusterWanted) {
    services = await startServices(log);
    bench.clusterSeed = await bench.makeClusterSeed();
  }
  for (let run = 1; run <= runs; run++) {
    for (const scenario of selected) {
      log(`run ${run}/${runs}: ${scenario}`);
      const result = await bench.runScenario(seedData!, scenario, run);
      results.push(result);
      const peers = Object.entries(result.peers ?? {});
      const problems = [
        ...result.problems,
        ...result.vaultroom.problems,
        ...(result.floor?.problems ?? []),
        ...(result.cluster?.problems.map((p) => `cluster: ${p}`) ?? []),
        ...peers.flatMap(([kind, r]) => r.problems.map((p) => `${kind}: ${p}`)),
      ];
      if (problems.length) {
        failed = true;
        for (const p of problems) log(`  PROBLEM: ${p}`);
      }
      log(`  vaultroom ${brief(result.vaultroom)}${result.floor ? `\n  floor     ${brief(result.floor)}` : ""}`);
      if (result.cluster) log(`  cluster   ${brief(result.cluster)}`);
      for (const [kind, r] of peers) log(`  ${kind.padEnd(9)} ${brief(r)}`);
    }
    if (pushWanted) {
      log(`run ${run}/${runs}: push`);
      const result = await runPushBench({ root, place, quick, log });
      pushResults.push(result);
      for (const p of result.problems) {
        failed = true;
        log(`  PROBLEM: ${p}`);
      }
      log(`  ${pushLine(result)}`);
    }
  }
} catch (error) {
  failed = true;
  log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  // Postgres and Redis of --cluster (and anything still running), also after a failure.
  killStarted();
}

const summary = summarize(results);
const machineBusy = busyPercent(machineBusyBefore);
const commitAfter = commitLatency(root);
if (!values.keep) rmSync(root, { recursive: true, force: true });
const commits = `one durable SQLite commit on this disk: p50 ${commitBefore.p50ms} ms, p99 ${commitBefore.p99ms} ms before the runs; p50 ${commitAfter.p50ms} ms, p99 ${commitAfter.p99ms} ms after`;
process.stdout.write(`\n${renderSummary(summary, runs)}\n\n`);
for (const [i, result] of pushResults.entries()) process.stdout.write(`push, run ${i + 1}: ${pushLine(result)}\n`);
if (pushResults.length) process.stdout.write("\n");
process.stdout.write(
  `${place.cores} cores; ${place.note}; machine CPU busy ${machineBusy}% over the run (all processes); load average now ${loadavg()[0]!.toFixed(2)}\n${commits}\n`,
);
const resultsDir = join(ROOT, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${stamp}${quick ? "-quick" : ""}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      quick,
      runs,
      completed: !failed,
      machine: {
        cores: place.cores,
        cpu: cpus()[0]?.model,
        kernel: release(),
        bun: Bun.version,
        pinned: place.pinned,
        note: place.note,
        binary,
        busyPercent: machineBusy,
        node: values.peers ? nodeFound?.version : undefined,
        commitLatency: { before: commitBefore, after: commitAfter },
      },
      sizes,
      summary,
      results,
      push: pushResults,
    },
    null,
    2,
  ),
);
if (quick) process.stdout.write("quick run: the figures above prove only that each scenario ran; they are not measurements\n");
process.stdout.write(
  `results: ${file}\n${failed ? "FAILED: see the problems above\n" : "completed: every acknowledged message reached every member\n"}`,
);
process.exit(failed ? 1 : 0);

function pushLine(r: PushBenchResult): string {
  return (
    `${r.pushesReceived.toLocaleString("en-US")} pushes to ${r.subscribers} subscribers in ${r.seconds} s = ${r.pushesPerSecond.toLocaleString("en-US")} pushes/s ` +
    `(server CPU ${r.serverCpuPercent} %, waiting for a CPU ${r.serverWaitMsPerS} ms/s); ordinary messages at ${r.probeRatePerSecond}/s meanwhile: p50 ${r.duringPushes.p50} ms, p99 ${r.duringPushes.p99} ms ` +
    `(before: p50 ${r.baseline.p50} ms, p99 ${r.baseline.p99} ms)`
  );
}

function brief(result: JobResult): string {
  return Object.entries(result.metrics)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

/** The whole machine's CPU counters (all processes) from /proc/stat. */
function cpuSnapshot(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Share of all the machine's CPU time spent busy since `since`, in percent. */
function busyPercent(since: { busy: number; total: number }): number {
  const now = cpuSnapshot();
  return Math.round(((now.busy - since.busy) / Math.max(1, now.total - since.total)) * 100);
}
