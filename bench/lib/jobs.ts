// Turning a scenario into the load client's job, and running the load client in its own process
// (pinned to its own core, its file limit raised), with a time limit so a stuck client cannot hang
// the run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { clientAddress } from "./http.ts";
import type { Job, JobResult } from "./job.ts";
import { withFileLimit } from "./proc.ts";
import type { ScenarioName } from "./report.ts";
import type { Seed } from "./seed.ts";
import { ROOT, track, type RunningServer, type TargetKind } from "./servers.ts";
import type { Sizes } from "./sizes.ts";

export function buildJob(
  sizes: Sizes,
  data: Seed,
  scenario: ScenarioName,
  target: TargetKind,
  server: RunningServer,
  tag: number,
  history: { firstId: number; lastId: number } | null,
  fsyncDelayMs = 0,
  /** The notify scenarios: the baseline run beside them names people without mentioning them. */
  mention = true,
): Job {
  const base = { target, port: server.port, serverPid: server.pid, run: tag };
  const members = data.users.slice(0, data.members);
  switch (scenario) {
    case "fanout":
      return { ...base, scenario, roomId: data.benchRoomId, members, ...sizes.fanout };
    case "conversation":
      return { ...base, scenario, roomId: data.benchRoomId, members, ...sizes.fanout };
    case "latency":
      return { ...base, scenario, roomId: data.benchRoomId, members, ...sizes.latency };
    case "notify":
      return { ...base, scenario, roomId: data.benchRoomId, members, ...sizes.fanout, notify: { usernames: members.map((m) => m.username), mention } };
    case "notify-latency":
      return { ...base, scenario, roomId: data.benchRoomId, members, ...sizes.latency, notify: { usernames: members.map((m) => m.username), mention } };
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
            : people.map((u, i) => ({
                username: u.username,
                password: data.password,
                from: clientAddress(100 + Math.floor(i / 10)),
                totpSecret: u.totpSecret,
                totpEnabledAt: u.totpEnabledAt,
              })),
      };
    }
    case "purge":
      return { ...base, scenario, roomId: data.benchRoomId, members, admin: data.users[0]!, ...(({ messages: _n, ...rest }) => rest)(sizes.purge) };
    case "slow-disk": {
      const { probe, ...load } = sizes.slowDisk;
      return { ...base, scenario, roomId: data.benchRoomId, members, ...load, fsyncDelayMs, probe };
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

export async function runClient(job: Job, files: number, pin: string[], workDir: string): Promise<JobResult> {
  const jobFile = join(workDir, `client-${job.run}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const client = track(
    Bun.spawn([...pin, ...withFileLimit(files), process.execPath, join(ROOT, "bench", "load-client.ts"), jobFile], {
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
    case "conversation":
    case "notify":
    case "ingest":
      return job.warmupMs + job.durationMs + slack;
    case "latency":
    case "notify-latency":
    case "purge":
    case "slow-disk":
      return job.warmupMs + job.durationMs + slack;
    case "login-storm":
      return job.durationMs + slack;
    case "idle":
      return job.settleMs * 2 + job.connections * 5 + slack;
    case "history":
      return job.requests * 100 + slack;
  }
}
