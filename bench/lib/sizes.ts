// How big and how long each scenario is, for the full run and for --quick (CI: seconds each, small N).

export interface Sizes {
  members: number;
  fanout: { senders: number; window: number; warmupMs: number; durationMs: number };
  latency: { ratePerSecond: number; warmupMs: number; durationMs: number };
  ingest: { senders: number; window: number; warmupMs: number; durationMs: number };
  idle: { connections: number; socketsPerUser: number; settleMs: number };
  loginStorm: { logins: number; ratePerSecond: number; durationMs: number; stormAtMs: number };
  history: { messages: number; requests: number; pageSize: number; sockets: number };
  /** Expired messages retention deletes while the latency load runs. */
  purge: { messages: number; ratePerSecond: number; warmupMs: number; durationMs: number };
  /** The latency load once per delay in SLOW_DISK_DELAYS_MS, with the side probe's request periods. */
  slowDisk: {
    ratePerSecond: number;
    warmupMs: number;
    durationMs: number;
    probe: { historyEveryMs: number; typingEveryMs: number; pingEveryMs: number; pageSize: number };
  };
  /** Messages per second one user may post, for the closed-loop scenarios (VAULTROOM_MESSAGE_RATE). */
  messageRate: number;
}

export const FULL: Sizes = {
  members: 200,
  fanout: { senders: 8, window: 32, warmupMs: 2000, durationMs: 10_000 },
  latency: { ratePerSecond: 500, warmupMs: 2000, durationMs: 20_000 },
  ingest: { senders: 64, window: 64, warmupMs: 2000, durationMs: 10_000 },
  // The server's per-user socket cap is 20: 10,000 sockets are 500 users with 20 each.
  idle: { connections: 10_000, socketsPerUser: 20, settleMs: 5000 },
  loginStorm: { logins: 50, ratePerSecond: 200, durationMs: 20_000, stormAtMs: 3000 },
  history: { messages: 1_000_000, requests: 1000, pageSize: 50, sockets: 20 },
  purge: { messages: 100_000, ratePerSecond: 500, warmupMs: 2000, durationMs: 30_000 },
  // Probe periods keep each probe socket under its 40 frames/s bucket; typing every 100 ms adds
  // 10 indicators/s × members to the fan-out, small beside the load's 500 × members.
  slowDisk: {
    ratePerSecond: 500,
    warmupMs: 2000,
    durationMs: 15_000,
    probe: { historyEveryMs: 50, typingEveryMs: 100, pingEveryMs: 30, pageSize: 50 },
  },
  messageRate: 100_000,
};

export const QUICK: Sizes = {
  members: 20,
  fanout: { senders: 4, window: 8, warmupMs: 500, durationMs: 2000 },
  latency: { ratePerSecond: 40, warmupMs: 500, durationMs: 2500 },
  ingest: { senders: 4, window: 16, warmupMs: 500, durationMs: 2000 },
  idle: { connections: 200, socketsPerUser: 20, settleMs: 1000 },
  loginStorm: { logins: 5, ratePerSecond: 40, durationMs: 3000, stormAtMs: 1000 },
  history: { messages: 20_000, requests: 50, pageSize: 50, sockets: 4 },
  purge: { messages: 2000, ratePerSecond: 40, warmupMs: 500, durationMs: 3000 },
  slowDisk: {
    ratePerSecond: 40,
    warmupMs: 500,
    durationMs: 2500,
    probe: { historyEveryMs: 50, typingEveryMs: 100, pingEveryMs: 30, pageSize: 50 },
  },
  messageRate: 100_000,
};
