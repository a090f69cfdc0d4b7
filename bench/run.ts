// The benchmark orchestrator (`bun run bench`, `bun run bench:quick`). Starts the compiled binary
// on loopback over TLS with fresh data, makes users through the real API, and drives it and the
// floor server with the load client in a separate process, server and client pinned to different
// cores. Prints a table, writes JSON to bench/results/. Exits non-zero when a run did not complete
// or an acknowledged message did not reach every member (targets missed are reported, not fatal).
//
//   bun bench/run.ts [--quick] [--runs N] [--only fanout,latency,...] [--nice N] [--profile] [--binary PATH] [--keep]
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkStored, commitLatency, seedMessages } from "./lib/database.ts";
import { clientAddress } from "./lib/http.ts";
import type { Job, JobResult } from "./lib/job.ts";
import { placement, withFileLimit } from "./lib/proc.ts";
import { renderSummary, summarize, type ScenarioName, type ScenarioRun } from "./lib/report.ts";
import { seed, type Seed } from "./lib/seed.ts";
import { killStarted, useBinary, ROOT, startFloor, startVaultRoom, track, type RunningServer, type TargetKind } from "./lib/servers.ts";
import { FULL, QUICK, type Sizes } from "./lib/sizes.ts";

const SCENARIOS: ScenarioName[] = ["fanout", "latency", "ingest", "idle", "login-storm", "history"];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    nice: { type: "string" },
    profile: { type: "boolean", default: false },
    binary: { type: "string" },
  },
});
const quick = values.quick!;
const sizes: Sizes = quick ? QUICK : FULL;
const runs = Number(values.runs ?? (quick ? 1 : 3));
const selected = values.only ? (values.only.split(",") as ScenarioName[]) : SCENARIOS;
for (const name of selected)
  if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; choose from ${SCENARIOS.join(", ")}`);

const log = (line: string) => process.stderr.write(`${line}\n`);
// Normal priority unless asked: in trial runs nice -10 made loopback latency worse, not steadier
// (probably the kernel's deferred network work, in ksoftirqd at nice 0, waiting behind the load).
const place = placement(Number(values.nice ?? 0));
const root = mkdtempSync(join(tmpdir(), "vaultroom-bench-"));
const certsDir = join(root, "certs");
const startedAt = new Date();
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
log(`VaultRoom benchmarks${quick ? " (quick)" : ""}: ${runs} run(s) of ${selected.join(", ")}`);
log(
  `machine: ${place.cores} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}; ${place.note}`,
);
log(`binary: ${binary}; work directory: ${root}`);

let failed = false;
let jobCounter = 0;
const results: ScenarioRun[] = [];
let seedData: Seed | null = null;
try {
  seedData = await makeSeed();
  for (let run = 1; run <= runs; run++) {
    for (const scenario of selected) {
      log(`run ${run}/${runs}: ${scenario}`);
      const result = await runScenario(seedData, scenario, run);
      results.push(result);
      const problems = [...result.problems, ...result.vaultroom.problems, ...(result.floor?.problems ?? [])];
      if (problems.length) {
        failed = true;
        for (const p of problems) log(`  PROBLEM: ${p}`);
      }
      log(`  vaultroom ${brief(result.vaultroom)}${result.floor ? `\n  floor     ${brief(result.floor)}` : ""}`);
    }
  }
} catch (error) {
  failed = true;
  log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

const summary = summarize(results);
const machineBusy = busyPercent(machineBusyBefore);
const commitAfter = commitLatency(root);
if (!values.keep) rmSync(root, { recursive: true, force: true });
const commits = `one durable SQLite commit on this disk: p50 ${commitBefore.p50ms} ms, p99 ${commitBefore.p99ms} ms before the runs; p50 ${commitAfter.p50ms} ms, p99 ${commitAfter.p99ms} ms after`;
process.stdout.write(`\n${renderSummary(summary, runs)}\n\n`);
process.stdout.write(
  `${place.cores} cores; ${place.note}; machine CPU busy ${machineBusy}% over the run (all processes); load average now ${loadavg()[0]!.toFixed(2)}\n${commits}\n`,
);
const resultsDir = join(ROOT, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`);
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
        commitLatency: { before: commitBefore, after: commitAfter },
      },
      sizes,
      summary,
      results,
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

// ---------------------------------------------------------------------------------------------

async function makeSeed(): Promise<Seed> {
  const dataDir = join(root, "seed");
  // Unpinned: seeding is not measured, and password hashing is slow on one core.
  const server = await startVaultRoom(dataDir, certsDir, { pin: [], files: 4096, logFile: join(root, "seed.log") });
  const started = performance.now();
  try {
    // Only as many accounts as the chosen scenarios use: each costs a password hash.
    const users = Math.max(
      sizes.members,
      selected.includes("idle") ? Math.ceil(sizes.idle.connections / sizes.idle.socketsPerUser) : 0,
      selected.includes("login-storm") ? sizes.members + sizes.loginStorm.logins : 0,
    );
    const made = await seed(server, { users, members: sizes.members, ingestSenders: sizes.ingest.senders }, log);
    log(
      `seeded ${users} users, rooms of ${sizes.members} and ${users} members, ${sizes.ingest.senders} ingest rooms in ${Math.round(performance.now() - started)} ms`,
    );
    return made;
  } catch (error) {
    log(await server.logTail());
    throw error;
  } finally {
    await server.stop("SIGTERM");
  }
}

async function runScenario(data: Seed, scenario: ScenarioName, run: number): Promise<ScenarioRun> {
  const loadAverage = loadavg()[0]!;
  const problems: string[] = [];
  if (scenario === "history") {
    // No floor for history (it stores nothing), but its start-up time is the runtime's own.
    const floorServer = await startFloor(certsDir, { pin: place.server, files: 4096, logFile: join(root, "floor.log") });
    const floorStart = floorServer.startMs;
    await floorServer.stop();
    const vaultroom = await runTarget(data, scenario, "vaultroom", problems);
    const floor: JobResult = { scenario, target: "floor", problems: [], metrics: { coldStartMs: Math.round(floorStart) } };
    return { run, scenario, vaultroom, floor, problems, loadAverage };
  }
  const floor = await runTarget(data, scenario, "floor", problems);
  const vaultroom = await runTarget(data, scenario, "vaultroom", problems);
  return { run, scenario, vaultroom, floor, problems, loadAverage };
}

async function runTarget(data: Seed, scenario: ScenarioName, target: TargetKind, problems: string[]): Promise<JobResult> {
  const tag = ++jobCounter;
  const dataDir = join(root, `job-${tag}`);
  const files = scenario === "idle" ? sizes.idle.connections + 2048 : 8192;
  const logFile = join(root, `job-${tag}-${target}.log`);
  let history: { firstId: number; lastId: number } | null = null;
  if (target === "vaultroom") {
    cpSync(join(root, "seed"), dataDir, { recursive: true });
    if (scenario === "history") {
      const started = performance.now();
      history = seedMessages(
        dataDir,
        data.benchRoomId,
        data.users.slice(0, data.members).map((u) => u.userId),
        sizes.history.messages,
      );
      log(`  seeded ${sizes.history.messages.toLocaleString("en-US")} messages in ${Math.round(performance.now() - started)} ms`);
    }
  }
  // Only the closed-loop scenarios need more than a person's posting rate; the others run with the
  // server's defaults. VAULTROOM_MESSAGE_RATE is the documented operator setting for bots and gateways.
  const env: Record<string, string> =
    scenario === "fanout" || scenario === "ingest" ? { VAULTROOM_MESSAGE_RATE: String(sizes.messageRate) } : {};
  // --profile: VaultRoom runs from source under the CPU profiler (profiles land in bench/results/).
  const profileDir = values.profile
    ? join(ROOT, "bench", "results", `profile-${startedAt.toISOString().replace(/[:.]/g, "-")}`, `${tag}-${scenario}`)
    : undefined;
  const server =
    target === "vaultroom"
      ? await startVaultRoom(dataDir, certsDir, { pin: place.server, files, logFile, env, profileDir })
      : await startFloor(certsDir, { pin: place.server, files, logFile });
  let result: JobResult;
  let signal: "SIGTERM" | "SIGKILL" = "SIGTERM";
  try {
    const job = buildJob(data, scenario, target, server, tag, history);
    result = await runClient(job, files);
    if (scenario === "history") result.metrics.coldStartMs = Math.round(server.startMs);
    // Closed-loop writes: kill the server outright, then every acknowledged message must be stored.
    // (A profiled server must exit normally to write its profile; the rows are checked all the same.)
    if (target === "vaultroom" && (scenario === "fanout" || scenario === "ingest") && !values.profile) signal = "SIGKILL";
  } catch (error) {
    problems.push(`${scenario} on ${target}: ${error instanceof Error ? error.message : String(error)}`);
    log(await server.logTail());
    result = { scenario, target, problems: [], metrics: {} };
  } finally {
    await server.stop(signal);
  }
  if (target === "vaultroom" && (scenario === "fanout" || scenario === "ingest"))
    problems.push(...verifyStored(data, scenario, tag, dataDir, result, signal));
  if (target === "vaultroom" && !values.keep) rmSync(dataDir, { recursive: true, force: true });
  return result;
}

function buildJob(
  data: Seed,
  scenario: ScenarioName,
  target: TargetKind,
  server: RunningServer,
  tag: number,
  history: { firstId: number; lastId: number } | null,
): Job {
  const base = { target, port: server.port, serverPid: server.pid, run: tag };
  const members = data.users.slice(0, data.members);
  switch (scenario) {
    case "fanout":
      return { ...base, scenario, roomId: data.benchRoomId, members, ...sizes.fanout };
    case "latency":
      return { ...base, scenario, roomId: data.benchRoomId, members, ...sizes.latency };
    case "ingest":
      return {
        ...base,
        scenario,
        senders: data.ingestRooms.map((roomId, i) => ({ member: data.users[i]!, roomId })),
        window: sizes.ingest.window,
        warmupMs: sizes.ingest.warmupMs,
        durationMs: sizes.ingest.durationMs,
      };
    case "idle":
      return { ...base, scenario, users: data.users, ...sizes.idle };
    case "login-storm": {
      const { logins, ...rest } = sizes.loginStorm;
      // Users outside the room log in, ten per client address (the per-address burst is 20).
      const people = data.users.slice(data.members, data.members + logins);
      if (people.length < logins) throw new Error(`login storm needs ${logins} users outside the room`);
      return {
        ...base,
        scenario,
        roomId: data.benchRoomId,
        members,
        ...rest,
        logins:
          target === "floor"
            ? []
            : people.map((u, i) => ({ username: u.username, password: data.password, from: clientAddress(100 + Math.floor(i / 10)) })),
      };
    }
    case "history":
      if (!history) throw new Error("history needs seeded messages");
      return {
        ...base,
        scenario,
        roomId: data.benchRoomId,
        members: members.slice(0, sizes.history.sockets),
        requests: sizes.history.requests,
        pageSize: sizes.history.pageSize,
        firstId: history.firstId,
        lastId: history.lastId,
      };
  }
}

async function runClient(job: Job, files: number): Promise<JobResult> {
  const jobFile = join(root, `client-${job.run}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const client = track(
    Bun.spawn([...place.client, ...withFileLimit(files), process.execPath, join(ROOT, "bench", "load-client.ts"), jobFile], {
      cwd: ROOT,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    }),
  );
  const limitMs = clientTimeLimit(job);
  const timer = setTimeout(() => client.kill("SIGKILL"), limitMs);
  const [stdout, stderr, code] = await Promise.all([new Response(client.stdout).text(), new Response(client.stderr).text(), client.exited]);
  clearTimeout(timer);
  if (code !== 0)
    throw new Error(
      `load client exited with ${code ?? client.signalCode}${client.signalCode === "SIGKILL" ? ` (over its ${limitMs / 1000} s limit)` : ""}: ${stderr.trim().slice(-1500)}`,
    );
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as JobResult;
}

/** A stuck client is killed: every scenario stops by itself. */
function clientTimeLimit(job: Job): number {
  const slack = 60_000;
  switch (job.scenario) {
    case "fanout":
    case "ingest":
      return job.warmupMs + job.durationMs + slack;
    case "latency":
      return job.warmupMs + job.durationMs + slack;
    case "login-storm":
      return job.durationMs + slack;
    case "idle":
      return job.settleMs * 2 + job.connections * 5 + slack;
    case "history":
      return job.requests * 100 + slack;
  }
}

function verifyStored(data: Seed, scenario: ScenarioName, tag: number, dataDir: string, result: JobResult, signal: string): string[] {
  const details = result.details as { ackedPerSender?: number[]; sentPerSender?: number[]; runTags?: number[] } | undefined;
  const acked = details?.ackedPerSender;
  const sent = details?.sentPerSender;
  if (!acked || !sent) return [`${scenario}: the load client did not report what it sent`];
  const checks =
    scenario === "ingest"
      ? acked.map((count, i) => ({
          author: data.users[i]!.userId,
          roomId: data.ingestRooms[i]!,
          run: details!.runTags![i]!,
          sender: 0,
          sent: sent[i]!,
          acked: count,
        }))
      : acked.map((count, i) => ({
          author: data.users[i]!.userId,
          roomId: data.benchRoomId,
          run: tag,
          sender: i,
          sent: sent[i]!,
          acked: count,
        }));
  return checkStored(dataDir, checks).map((p) => `${scenario}: after ${signal}, ${p}`);
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
