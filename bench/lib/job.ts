// What the orchestrator hands the load client (as a JSON file) and what it gets back (JSON on stdout).
import type { TargetKind } from "./servers.ts";

export interface Member {
  userId: number;
  username: string;
  cookie: string;
  /** Base32 TOTP secret when the account signs in with a second factor (half the login storm's users). */
  totpSecret?: string;
  /** When TOTP was turned on: its code's time step is spent, so a login in the same step uses the next. */
  totpEnabledAt?: number;
}

export interface JobBase {
  target: TargetKind;
  port: number;
  /** The server's pid, for reading its CPU time and memory from /proc at the edges of a window. */
  serverPid: number;
  /** Tags this run's client ids. */
  run: number;
  /** --cluster: every node's port; member (or ingest sender) i connects to ports[i % ports.length]. */
  ports?: number[];
  /** --cluster: every node's pid (CPU figures are the nodes' sum, Postgres and Redis not included). */
  serverPids?: number[];
}

/**
 * The notify scenarios (issue 12): every socket says its tab is visible (as the web app does) and
 * each message names one member of the room, in turn — as `@name` (a mention), or, for the baseline
 * run beside it, as the bare name (the same bytes but one, no mention).
 */
export interface NotifyLoad {
  /** The room's members' usernames, in member order. */
  usernames: string[];
  mention: boolean;
}

export interface FanoutJob extends JobBase {
  scenario: "fanout";
  roomId: number;
  members: Member[];
  senders: number;
  /** Messages each sender keeps in flight (sent, not yet acknowledged). */
  window: number;
  warmupMs: number;
  durationMs: number;
  notify?: NotifyLoad;
}

/** Fan-out where every message notifies every member (issue 12's "within 5 %"); see NotifyLoad. */
export interface NotifyJob extends Omit<FanoutJob, "scenario"> {
  scenario: "notify";
  notify: NotifyLoad;
}

/** Fan-out with a conversation's mix: a tenth of the requests are thread replies, a tenth reactions. */
export interface ConversationJob extends Omit<FanoutJob, "scenario"> {
  scenario: "conversation";
}

export interface LatencyJob extends JobBase {
  scenario: "latency";
  roomId: number;
  members: Member[];
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
  notify?: NotifyLoad;
}

/** The latency load where every message notifies every member; see NotifyLoad. */
export interface NotifyLatencyJob extends Omit<LatencyJob, "scenario"> {
  scenario: "notify-latency";
  notify: NotifyLoad;
}

export interface IngestJob extends JobBase {
  scenario: "ingest";
  /**
   * --cluster's kill check: the client SIGKILLs this node halfway through the window (timed from the
   * load, not from the orchestrator); senders on it stop, unchecked, when their socket closes.
   */
  killPid?: number;
  /** One sender per room (its own private room), so each message is stored, acked and echoed once. */
  senders: { member: Member; roomId: number }[];
  window: number;
  warmupMs: number;
  durationMs: number;
}

export interface IdleJob extends JobBase {
  scenario: "idle";
  users: Member[];
  socketsPerUser: number;
  connections: number;
  settleMs: number;
}

export interface LoginStormJob extends JobBase {
  scenario: "login-storm";
  roomId: number;
  members: Member[];
  ratePerSecond: number;
  durationMs: number;
  /** When the logins start, ms after the load starts. */
  stormAtMs: number;
  /** Empty for the floor (no accounts): the same load, no storm. */
  logins: { username: string; password: string; from: string; totpSecret?: string; totpEnabledAt?: number }[];
}

export interface HistoryJob extends JobBase {
  scenario: "history";
  roomId: number;
  members: Member[];
  /** Requests of each kind (top page, deep page). */
  requests: number;
  pageSize: number;
  /** Ids of the room's oldest and newest messages. */
  firstId: number;
  lastId: number;
}

/** The latency scenario while retention purges a large backlog of expired messages (issue 17). */
export interface PurgeJob extends JobBase {
  scenario: "purge";
  roomId: number;
  members: Member[];
  /** The admin, who sets a 30-day retention once the warm-up is over (VaultRoom only). */
  admin: Member;
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
}

/** The latency load on a server whose fsyncs are slowed, with a side probe of non-disk requests. */
export interface SlowDiskJob extends JobBase {
  scenario: "slow-disk";
  roomId: number;
  members: Member[];
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
  /** The injected delay per fsync, for the report (the orchestrator applies it). */
  fsyncDelayMs: number;
  probe: { historyEveryMs: number; typingEveryMs: number; pingEveryMs: number; pageSize: number };
}

export type Job = FanoutJob | ConversationJob | NotifyJob | LatencyJob | NotifyLatencyJob | IngestJob | IdleJob | LoginStormJob | HistoryJob | PurgeJob | SlowDiskJob;

export interface JobResult {
  scenario: Job["scenario"];
  target: TargetKind;
  /** Correctness failures: anything here fails the run. */
  problems: string[];
  metrics: Record<string, number>;
  /** Non-numeric facts worth keeping (error counts, login statuses). */
  details?: Record<string, unknown>;
}
