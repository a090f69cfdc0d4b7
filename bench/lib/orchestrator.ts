// One benchmark session: the seeded data every scenario starts from, and running a scenario against
// the floor and against VaultRoom (each on a fresh server, VaultRoom on a fresh copy of the data),
// including the after-run check that every acknowledged message was stored.
import { cpSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { checkStoredPostgres, startCluster, type Services } from "./cluster.ts";
import { checkStored, liveMessages, runMentions, seedExpired, seedMessages, seedNotify, type StoredCheck } from "./database.ts";
import type { JobResult } from "./job.ts";
import { buildJob, runClient } from "./jobs.ts";
import type { Placement } from "./proc.ts";
import type { ScenarioName, ScenarioRun } from "./report.ts";
import { seed, type Seed } from "./seed.ts";
import { startFloor, startVaultRoom, type RunningServer, type TargetKind } from "./servers.ts";
import { isPeer, PEERS, startPeer } from "./peers.ts";
import { SLOW_DISK_DELAYS_MS, slowFsyncPrefix, tracedSyncs } from "./slow-disk.ts";
import type { Sizes } from "./sizes.ts";
import { median } from "./table.ts";

export interface BenchOptions {
  sizes: Sizes;
  selected: ScenarioName[];
  place: Placement;
  /** Scratch directory for data, logs and job files. */
  root: string;
  keep: boolean;
  /** Where --profile writes CPU profiles; undefined when not profiling. */
  profileRoot: string | undefined;
  log: (line: string) => void;
  /** --peers: the room scenarios also run against Node + ws and Node + socket.io. */
  peers: boolean;
  /** --cluster: Postgres and Redis for two nodes; the scenarios of CLUSTER_SCENARIOS also run there. */
  cluster: Services | null;
}

/** What --cluster runs on two nodes; the others stay single-node (they measure one process or its disk). */
export const CLUSTER_SCENARIOS: ScenarioName[] = ["fanout", "latency", "ingest"];
/** The scenarios that post as fast as they are acknowledged (the operator's --message-rate lifts the per-person limits). */
const closedLoop = (scenario: ScenarioName) => scenario === "fanout" || scenario === "conversation" || scenario === "notify" || scenario === "ingest";
/** Issue 12: the same load with every message notifying the whole room, its baseline in the floor's column. */
const notifying = (scenario: ScenarioName) => scenario === "notify" || scenario === "notify-latency";
/** The history scenario starts each server this many times on the same data; the median is reported. */
const COLD_STARTS = 5;

export class Bench {
  private jobCounter = 0;
  /** --cluster: set by run.ts from makeClusterSeed(). */
  clusterSeed: Seed | null = null;
  private readonly certsDir: string;

  constructor(private readonly options: BenchOptions) {
    this.certsDir = join(options.root, "certs");
  }

  async makeSeed(): Promise<Seed> {
    const { sizes, selected, root, log } = this.options;
    const certsDir = this.certsDir;
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
      // Half of the login storm's people sign in with TOTP (issue 14): every other one of them.
      const totpUsers = selected.includes("login-storm") ? { from: sizes.members, count: sizes.loginStorm.logins } : { from: 0, count: 0 };
      const made = await seed(server, { users, members: sizes.members, ingestSenders: sizes.ingest.senders, totpUsers }, log);
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

  /**
   * --cluster: the same accounts and rooms, made through node 1 of the cluster in its own database
   * (its ids and sessions are not the SQLite seed's). Every cluster run then uses this database:
   * each run tags its client ids, so the checks never count another run's messages.
   */
  async makeClusterSeed(): Promise<Seed> {
    const { sizes, root, log, cluster: services } = this.options;
    const cluster = await startCluster(services!, root, this.certsDir, "cluster-seed", { pin: [], files: 4096 });
    const started = performance.now();
    try {
      const made = await seed(cluster.nodes[0]!, { users: sizes.members, members: sizes.members, ingestSenders: sizes.ingest.senders, totpUsers: { from: 0, count: 0 } }, log);
      log(`cluster: seeded ${sizes.members} users and the rooms in ${Math.round(performance.now() - started)} ms`);
      return made;
    } catch (error) {
      log(await cluster.logTail());
      throw error;
    } finally {
      await cluster.stop("SIGTERM");
    }
  }

  /** Fanout, latency or ingest on two nodes, load spread across them; after writes, both are killed and Postgres counted. */
  async runCluster(data: Seed, scenario: ScenarioName, problems: string[]): Promise<JobResult> {
    const { sizes, place, root, log, cluster: services, profileRoot } = this.options;
    const tag = ++this.jobCounter;
    const writes = scenario === "fanout" || scenario === "ingest";
    const env: Record<string, string> = writes ? { VAULTROOM_MESSAGE_RATE: String(sizes.messageRate) } : {};
    const files = 8192;
    // --profile: both nodes from source under the CPU profiler (each writes its profile on SIGTERM).
    const profileDir = profileRoot ? join(profileRoot, `${tag}-cluster-${scenario}`) : undefined;
    const cluster = await startCluster(services!, root, this.certsDir, `job-${tag}`, { pin: place.server, files, env, profileDir });
    let result: JobResult;
    let signal: "SIGTERM" | "SIGKILL" = "SIGTERM";
    try {
      const job = { ...buildJob(sizes, data, scenario, "vaultroom", cluster.nodes[0]!, tag, null), ports: cluster.ports, serverPids: cluster.pids };
      result = await runClient(job, files, place.client, root);
      // As single-node: kill both nodes outright, then every acknowledged message must be in Postgres.
      if (writes && !profileDir) signal = "SIGKILL";
    } catch (error) {
      problems.push(`${scenario} on the cluster: ${error instanceof Error ? error.message : String(error)}`);
      log(await cluster.logTail());
      result = { scenario, target: "vaultroom", problems: [], metrics: {} };
    } finally {
      await cluster.stop(signal);
    }
    if (writes) {
      const checks = storedChecks(data, scenario, tag, result);
      if (!checks) problems.push(`${scenario} on the cluster: the load client did not report what it sent`);
      else {
        const stored = await checkStoredPostgres(services!.database, checks);
        result.metrics.missingAfterKill = stored.missing;
        problems.push(...stored.problems.map((p) => `${scenario} on the cluster: after ${signal}, ${p}`));
      }
    }
    if (scenario === "ingest" && result.details && !profileDir) await this.killNodeMidRun(data, problems, result);
    return result;
  }

  /**
   * Issue 16's SIGKILL check: the ingest load again, node 2 killed outright halfway through the
   * window while node 1 carries on; then every message either node acknowledged must be in Postgres
   * (a message committed whose ack died with the node may be there too). Adds its figures to `into`.
   */
  private async killNodeMidRun(data: Seed, problems: string[], into: JobResult): Promise<void> {
    const { sizes, place, root, log, cluster: services } = this.options;
    const tag = ++this.jobCounter;
    const files = 8192;
    const env = { VAULTROOM_MESSAGE_RATE: String(sizes.messageRate) };
    const cluster = await startCluster(services!, root, this.certsDir, `job-${tag}`, { pin: place.server, files, env });
    const [survivor, victim] = cluster.nodes as [RunningServer, RunningServer];
    let result: JobResult | null = null;
    try {
      // Only the survivor's CPU is read at the window's far edge: the victim's /proc entry is gone by then.
      const job = { ...buildJob(sizes, data, "ingest", "vaultroom", survivor, tag, null), ports: cluster.ports, serverPids: [survivor.pid], killPid: victim.pid };
      result = await runClient(job, files, place.client, root);
    } catch (error) {
      problems.push(`ingest with node 2 killed: ${error instanceof Error ? error.message : String(error)}`);
      log(await cluster.logTail());
    } finally {
      await cluster.stop("SIGKILL");
    }
    if (!result) return;
    const checks = storedChecks(data, "ingest", tag, result);
    if (!checks) return void problems.push("ingest with node 2 killed: the load client did not report what it sent");
    const stored = await checkStoredPostgres(services!.database, checks, { killedMidRun: true });
    const lostSenders = (result.details as { lostSenders?: number }).lostSenders ?? 0;
    into.metrics.missingAfterNodeKill = stored.missing;
    into.metrics.ackedAroundNodeKill = checks.reduce((total, c) => total + c.acked, 0);
    into.metrics.sendersCutByNodeKill = lostSenders;
    if (lostSenders === 0) problems.push("ingest with node 2 killed: no sender lost its node, so the kill tested nothing");
    problems.push(...stored.problems.map((p) => `ingest with node 2 killed mid-run: ${p}`));
  }

  async runScenario(data: Seed, scenario: ScenarioName, run: number): Promise<ScenarioRun> {
    const { place, root } = this.options;
    const certsDir = this.certsDir;
    const loadAverage = loadavg()[0]!;
    const problems: string[] = [];
    if (scenario === "slow-disk") {
      // No floor: it has no disk. One VaultRoom run per delay, merged under a prefix per delay.
      const metrics: Record<string, number> = {};
      const details: Record<string, unknown> = {};
      const runProblems: string[] = [];
      for (const delayMs of SLOW_DISK_DELAYS_MS) {
        const result = await this.runTarget(data, scenario, "vaultroom", problems, delayMs);
        for (const [key, value] of Object.entries(result.metrics)) metrics[`fsync${delayMs}ms.${key}`] = value;
        details[`fsync${delayMs}ms`] = result.details;
        runProblems.push(...result.problems.map((p) => `fsync +${delayMs} ms: ${p}`));
      }
      const vaultroom: JobResult = { scenario, target: "vaultroom", problems: runProblems, metrics, details };
      return { run, scenario, vaultroom, floor: null, problems, loadAverage };
    }
    if (scenario === "history") {
      // No floor for history (it stores nothing), but its start-up time is the runtime's own.
      // Started COLD_STARTS times, like VaultRoom below: one start is as noisy as the machine.
      const floorStarts: number[] = [];
      for (let i = 0; i < COLD_STARTS; i++) {
        const floorServer = await startFloor(certsDir, { pin: place.server, files: 4096, logFile: join(root, "floor.log") });
        floorStarts.push(Math.round(floorServer.startMs));
        await floorServer.stop();
      }
      const vaultroom = await this.runTarget(data, scenario, "vaultroom", problems);
      const floor: JobResult = { scenario, target: "floor", problems: [], metrics: { coldStartMs: median(floorStarts) }, details: { coldStartsMs: floorStarts } };
      return { run, scenario, vaultroom, floor, problems, loadAverage };
    }
    if (notifying(scenario)) {
      // No floor: the figure is VaultRoom against itself, the same load without notifications (the
      // same bodies, the names without their @, no one notified of every message, no push on).
      // Which of the two runs first alternates from run to run, so that neither always meets the
      // machine as the other left it.
      const first = run % 2 === 1;
      const baseline = first ? await this.runTarget(data, scenario, "vaultroom", problems, null, false) : null;
      const vaultroom = await this.runTarget(data, scenario, "vaultroom", problems);
      const after = baseline ?? (await this.runTarget(data, scenario, "vaultroom", problems, null, false));
      return { run, scenario, vaultroom, floor: { ...after, target: "floor" }, problems, loadAverage };
    }
    const floor = await this.runTarget(data, scenario, "floor", problems);
    const vaultroom = await this.runTarget(data, scenario, "vaultroom", problems);
    const peers: ScenarioRun["peers"] = {};
    if (this.options.peers && (scenario === "fanout" || scenario === "latency"))
      for (const kind of PEERS) peers[kind] = await this.runTarget(data, scenario, kind, problems);
    const clusterData = this.clusterSeed;
    const cluster = clusterData && CLUSTER_SCENARIOS.includes(scenario) ? await this.runCluster(clusterData, scenario, problems) : undefined;
    return { run, scenario, vaultroom, floor, peers, cluster, problems, loadAverage };
  }

  /** `fsyncDelayMs` set: the server runs under strace, every fsync delayed that long (0: only counted). */
  private async runTarget(
    data: Seed,
    scenario: ScenarioName,
    target: TargetKind,
    problems: string[],
    fsyncDelayMs: number | null = null,
    /** The notify scenarios: false for the baseline run (no mentions, nobody notified, no push). */
    notify = true,
  ): Promise<JobResult> {
    const { sizes, place, root, keep, profileRoot, log } = this.options;
    const certsDir = this.certsDir;
    const tag = ++this.jobCounter;
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
      if (scenario === "purge") {
        // The backlog lives in the lobby, not in the room the load runs in.
        seedExpired(dataDir, data.lobbyRoomId, data.users.slice(0, data.members).map((u) => u.userId), sizes.purge.messages);
        log(`  seeded ${sizes.purge.messages.toLocaleString("en-US")} expired messages`);
      }
      if (notifying(scenario) && notify) {
        const subscriptions = seedNotify(dataDir, data.benchRoomId, data.users.slice(0, data.members).map((u) => u.userId));
        log(`  ${data.members} members notified of every message, ${subscriptions} push subscriptions`);
      }
    }
    // Only the closed-loop scenarios need more than a person's posting rate; the others run with the
    // server's defaults. VAULTROOM_MESSAGE_RATE is the documented operator setting for bots and gateways.
    const env: Record<string, string> =
      closedLoop(scenario) ? { VAULTROOM_MESSAGE_RATE: String(sizes.messageRate) } : {};
    // --profile: VaultRoom runs from source under the CPU profiler (profiles land in bench/results/).
    const profileDir = profileRoot ? join(profileRoot, `${tag}-${scenario}`) : undefined;
    const traceLog = join(root, `job-${tag}-strace.log`);
    const tracer = fsyncDelayMs !== null ? slowFsyncPrefix(fsyncDelayMs, traceLog) : undefined;
    const server =
      target === "vaultroom"
        ? await startVaultRoom(dataDir, certsDir, { pin: place.server, files, logFile, env, profileDir, tracer })
        : isPeer(target)
          ? await startPeer(target, certsDir, { pin: place.server, files, logFile })
          : await startFloor(certsDir, { pin: place.server, files, logFile });
    let result: JobResult;
    let signal: "SIGTERM" | "SIGKILL" = "SIGTERM";
    try {
      const job = buildJob(sizes, data, scenario, target, server, tag, history, fsyncDelayMs ?? 0, notify);
      const loadStarted = performance.now();
      const before = tracer ? tracedSyncs(traceLog) : null;
      result = await runClient(job, files, place.client, root);
      if (before) {
        // Evidence that the delay really happened: strace logs each sync and marks those it delayed.
        // Counted over the whole client run (connect, warm-up, window, drain): the rate is a slight
        // underestimate of the rate under load.
        const after = tracedSyncs(traceLog);
        const seconds = (performance.now() - loadStarted) / 1000;
        result.metrics.syncs = after.calls - before.calls;
        result.metrics.syncsPerSecond = Math.round((after.calls - before.calls) / seconds);
        result.metrics.delayedSyncs = after.delayed - before.delayed;
      }
      if (scenario === "history") result.metrics.coldStartMs = Math.round(server.startMs);
      // The purge yields to the load (src/retention/pacer.ts), so it may still run when the load
      // stops; with the server quiet it speeds up. Its end is the pass's log line.
      if (target === "vaultroom" && scenario === "purge") await waitForLine(logFile, '"retention_pass"', PURGE_FINISH_MS);
      // Every tab was visible: a push tried at all means the decision was wrong (or visibility lost).
      if (notifying(scenario)) {
        const pushes = (await Bun.file(logFile).text().catch(() => "")).split("\n").filter((line) => line.includes('"push_')).length;
        if (pushes) problems.push(`${scenario}: ${pushes} push attempts logged although every tab was visible`);
      }
      // Closed-loop writes: kill the server outright, then every acknowledged message must be stored.
      // (A profiled server must exit normally to write its profile; the rows are checked all the same.)
      if (target === "vaultroom" && closedLoop(scenario) && !profileRoot) signal = "SIGKILL";
    } catch (error) {
      problems.push(`${scenario} on ${target}: ${error instanceof Error ? error.message : String(error)}`);
      log(await server.logTail());
      result = { scenario, target, problems: [], metrics: {} };
    } finally {
      await server.stop(signal);
    }
    if (target === "vaultroom" && scenario === "history" && !profileRoot && result.metrics.coldStartMs !== undefined) {
      // A restart on the same 1,000,000 messages, COLD_STARTS times in all: the median is the figure.
      const starts = [result.metrics.coldStartMs as number];
      while (starts.length < COLD_STARTS) {
        const again = await startVaultRoom(dataDir, certsDir, { pin: place.server, files, logFile, env });
        starts.push(Math.round(again.startMs));
        await again.stop();
      }
      result.metrics.coldStartMs = median(starts);
      result.details = { ...result.details, coldStartsMs: starts };
    }
    if (target === "vaultroom" && closedLoop(scenario))
      problems.push(...this.verifyStored(data, scenario, tag, dataDir, result, signal));
    if (target === "vaultroom" && scenario === "purge") problems.push(...(await this.verifyPurged(data, dataDir, logFile, result)));
    if (notifying(scenario)) {
      // Each message of the run mentioned one member (none in the baseline): the mention path really ran.
      const { messages, mentions } = runMentions(dataDir, data.benchRoomId, tag);
      if (messages === 0 || mentions !== (notify ? messages : 0))
        problems.push(`${scenario}${notify ? "" : " (baseline)"}: ${mentions} mentions recorded for ${messages} messages`);
    }
    if (target === "vaultroom" && !keep) rmSync(dataDir, { recursive: true, force: true });
    return result;
  }

  /** Every expired message deleted (the pass is waited for above), and how long the pass took (from the server's retention_pass log line). */
  private async verifyPurged(data: Seed, dataDir: string, logFile: string, result: JobResult): Promise<string[]> {
    const left = liveMessages(dataDir, data.lobbyRoomId);
    const expected = this.options.sizes.purge.messages;
    result.metrics.purgedMessages = expected - left;
    const log = await Bun.file(logFile).text().catch(() => "");
    const pass = log.split("\n").find((line) => line.includes('"retention_pass"'));
    if (pass) result.metrics.purgeSeconds = Math.round(((JSON.parse(pass) as { ms?: number }).ms ?? 0) / 100) / 10;
    return left === 0 ? [] : [`purge: ${left} of ${expected} expired messages were still there after the run`];
  }

  private verifyStored(data: Seed, scenario: ScenarioName, tag: number, dataDir: string, result: JobResult, signal: string): string[] {
    const checks = storedChecks(data, scenario, tag, result);
    if (!checks) return [`${scenario}: the load client did not report what it sent`];
    return checkStored(dataDir, checks).map((p) => `${scenario}: after ${signal}, ${p}`);
  }
}

/** What each sender of a fanout or ingest run must have stored (null: the client did not say). */
function storedChecks(data: Seed, scenario: ScenarioName, tag: number, result: JobResult): StoredCheck[] | null {
  const details = result.details as { ackedPerSender?: number[]; sentPerSender?: number[]; runTags?: number[] } | undefined;
  const acked = details?.ackedPerSender;
  const sent = details?.sentPerSender;
  if (!acked || !sent) return null;
  return scenario === "ingest"
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
}

/** How long the purge may go on after the load stopped before its backlog counts as not deleted. */
const PURGE_FINISH_MS = 300_000;

async function waitForLine(file: string, needle: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await Bun.file(file).text().catch(() => "")).includes(needle)) return;
    await Bun.sleep(250);
  }
}
