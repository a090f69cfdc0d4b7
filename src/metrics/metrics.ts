// Prometheus metrics (prom-client), one registry per app so that tests building several apps in
// one process never share counters. Every name starts with vaultroom_. Labels are a closed set of
// small values (route templates, status classes, bucket names, close codes): never a user, room or
// address, so the number of series stays bounded whatever clients send. In a cluster every node
// serves its own numbers (Prometheus adds them up).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { VERSION } from "../version.ts";

/** Close codes with a meaning worth a series of their own; anything else a client sends is "other". */
const CLOSE_CODES = new Set([1000, 1001, 1005, 1006, 1008, 1009, 1011, 1012, 1013, 4401]);

/** Things measured when Prometheus scrapes, from the parts of the running server that know them. */
export interface MetricSources {
  engine: "sqlite" | "postgres";
  sockets(): number;
  connectedUsers(): number;
  argon2Load(): { active: number; waiting: number };
  /** Bytes of the database (and, on SQLite, of its WAL file). */
  databaseSize(): Promise<{ database: number; wal: number | null }>;
  /** Seconds until the served certificate expires; null where nothing is served (tests). */
  certificateExpiry(): number | null;
}

export function createMetrics() {
  const registry = new Registry();
  // Event-loop lag, memory, CPU, file descriptors, GC: prom-client's standard set, renamed. Registered
  // once the server listens (server.ts) or at the first scrape, whichever is first: registering asks
  // the runtime for its heap spaces, 10–15 ms of every start before the first HTTPS answer.
  let defaults = false;
  const startDefaults = () => {
    if (defaults) return;
    defaults = true;
    collectDefaultMetrics({ register: registry, prefix: "vaultroom_" });
  };
  const registers = [registry];
  let sources: MetricSources | null = null;

  const buildInfo = new Gauge({ name: "vaultroom_build_info", help: "Always 1; the labels say which build runs.", labelNames: ["version", "engine"], registers });

  const m = {
    registry,
    sockets: new Gauge({
      name: "vaultroom_websocket_connections",
      help: "Open WebSocket connections on this node.",
      registers,
      collect() {
        if (sources) this.set(sources.sockets());
      },
    }),
    connectedUsers: new Gauge({
      name: "vaultroom_connected_users",
      help: "Distinct users with at least one open socket on this node.",
      registers,
      collect() {
        if (sources) this.set(sources.connectedUsers());
      },
    }),
    messagesPosted: new Counter({ name: "vaultroom_messages_posted_total", help: "Messages stored (resends of the same clientId are not counted).", registers }),
    messagesEdited: new Counter({ name: "vaultroom_messages_edited_total", help: "Messages edited.", registers }),
    messagesDeleted: new Counter({
      name: "vaultroom_messages_deleted_total",
      help: "Messages deleted, by cause: author, moderator (an admin or room owner), retention (expiry).",
      labelNames: ["cause"],
      registers,
    }),
    deliveries: new Counter({
      name: "vaultroom_message_deliveries_total",
      help: "New-message frames handed to sockets on this node (one per recipient socket).",
      registers,
    }),
    batchSize: new Histogram({
      name: "vaultroom_write_batch_size",
      help: "Commands per group-commit transaction.",
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 4096],
      registers,
    }),
    commitSeconds: new Histogram({
      name: "vaultroom_write_commit_duration_seconds",
      help: "Time from BEGIN to durable COMMIT of a group-commit transaction.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    httpRequests: new Counter({
      name: "vaultroom_http_requests_total",
      help: "HTTP requests by method, route template and status class.",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpSeconds: new Histogram({
      name: "vaultroom_http_request_duration_seconds",
      help: "HTTP request duration by method and route template.",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    framesIn: new Counter({ name: "vaultroom_ws_frames_received_total", help: "WebSocket frames received from clients.", registers }),
    framesOut: new Counter({ name: "vaultroom_ws_frames_sent_total", help: "WebSocket frames sent to clients (a broadcast counts once per recipient socket).", registers }),
    closes: new Counter({ name: "vaultroom_ws_closes_total", help: "WebSocket connections closed, by close code.", labelNames: ["code"], registers }),
    refusals: new Counter({
      name: "vaultroom_rate_limit_refusals_total",
      help: "Requests refused by a rate limit, by bucket.",
      labelNames: ["bucket"],
      registers,
    }),
    logins: new Counter({ name: "vaultroom_logins_total", help: "Password logins, by result.", labelNames: ["result"], registers }),
    secondFactorFailures: new Counter({ name: "vaultroom_second_factor_failures_total", help: "Wrong second-factor codes or assertions.", registers }),
    argon2Queue: new Gauge({
      name: "vaultroom_argon2_queue_depth",
      help: "Password hashes running or waiting for a slot.",
      labelNames: ["state"],
      registers,
      collect() {
        if (!sources) return;
        const load = sources.argon2Load();
        this.set({ state: "running" }, load.active);
        this.set({ state: "waiting" }, load.waiting);
      },
    }),
    uploadBytes: new Counter({ name: "vaultroom_upload_bytes_total", help: "Bytes of files stored by uploads.", registers }),
    uploadRefusals: new Counter({ name: "vaultroom_upload_refusals_total", help: "Uploads refused, by error code.", labelNames: ["reason"], registers }),
    databaseBytes: new Gauge({
      name: "vaultroom_database_size_bytes",
      help: "Size of the database (SQLite: the main file; Postgres: pg_database_size).",
      registers,
      async collect() {
        if (!sources) return;
        const size = await sources.databaseSize();
        this.set(size.database);
        if (size.wal !== null) m.walBytes.set(size.wal);
      },
    }),
    walBytes: new Gauge({ name: "vaultroom_database_wal_size_bytes", help: "Size of SQLite's write-ahead log file (absent on Postgres).", registers }),
    certificateExpiry: new Gauge({
      name: "vaultroom_certificate_expiry_seconds",
      help: "Seconds until the served TLS certificate expires (negative once expired).",
      registers,
      collect() {
        const seconds = sources?.certificateExpiry();
        if (seconds !== null && seconds !== undefined) this.set(seconds);
      },
    }),

    /** Registers prom-client's standard metrics (once; see above). */
    startDefaults,

    /** Connects the gauges measured at scrape time. */
    watch(next: MetricSources): void {
      sources = next;
      buildInfo.set({ version: VERSION, engine: next.engine }, 1);
      if (next.engine === "postgres") registry.removeSingleMetric("vaultroom_database_wal_size_bytes");
    },

    closeCode(code: number): string {
      return CLOSE_CODES.has(code) ? String(code) : "other";
    },
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** "2xx", "4xx"…: the status label (never the exact status, which a client could vary little, but still). */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;
