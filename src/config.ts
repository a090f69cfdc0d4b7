// The only reader of flags and environment variables. Everything else receives a typed Config. The
// values' parsers, the ACME part and the help text are in src/config/.
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { UploadPace } from "./files/upload-pace.ts";
import type { UploadSlotLimits } from "./files/upload-slots.ts";
import type { AuthLimitOptions } from "./accounts/auth-limits.ts";
import { parseAcme, type AcmeConfig } from "./config/acme.ts";
import { ConfigError, parseDatabase, parseHost, parseNodeId, parseOrigins, parsePort, parseRate, parseRedis, parseSince, parseSize, WILDCARD_HOSTS } from "./config/values.ts";

export { LETS_ENCRYPT, LETS_ENCRYPT_STAGING, parseDomains, type AcmeChallenge, type AcmeConfig } from "./config/acme.ts";
export { HELP } from "./config/help.ts";
export { ConfigError, parseSize } from "./config/values.ts";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  certsDir: string;
  /** Optional plain-HTTP listener that only redirects to HTTPS. */
  redirectPort: number | null;
  /** Extra origins (e.g. a reverse proxy's public URL) accepted besides the server's own. */
  origins: string[];
  maxUploadBytes: number;
  userQuotaBytes: number;
  /** Messages per second one user may post, sustained; null keeps the defaults (for people typing). */
  messageRate: number | null;
  /** null: SQLite in the data directory (the default); otherwise a postgres:// URL (cluster mode). */
  databaseUrl: string | null;
  /** redis:// URL for cross-node fan-out and shared limits; required when several nodes share Postgres. */
  redisUrl: string | null;
  /** Where uploaded files live: <data>/files by default; a directory all nodes share in a cluster. */
  filesDir: string;
  /** This node's name in a cluster (logs, presence); host name + port by default. */
  nodeId: string;
  /**
   * Tests only: no flag or variable sets this, so a server always runs with the documented defaults
   * (files/upload-pace.ts, files/upload-slots.ts). Lets a test scale the rate window down to seconds.
   */
  uploadTuning?: { pace?: Partial<UploadPace>; slots?: Partial<UploadSlotLimits> };
  /**
   * Tests only, like uploadTuning: login and registration buckets (accounts/auth-limits.ts), so a test
   * file can log in more often than one person may from one address. Servers use the defaults.
   */
  authLimits?: AuthLimitOptions;
  /** Certificates from an ACME CA (Let's Encrypt) for --domain; null without --domain. */
  acme: AcmeConfig | null;
  /**
   * --push-allow-private: Web Push may reach push services on private, loopback and link-local
   * addresses (tests, air-gapped networks with their own push service). Off: only public addresses.
   */
  pushAllowPrivate: boolean;
  /** Tests only, like uploadTuning: a CA to trust for a test push service, faster retries. */
  pushTuning?: { ca?: string; retryBaseMs?: number; timeoutMs?: number; lowerHttpThread?: boolean };
  /**
   * The secrets file (session, TOTP, audit and VAPID keys): <data>/secrets.json unless --secrets-file names one.
   * Every node of a cluster must name the same file (the TOTP and audit keys never go into the database).
   */
  secretsFile: string;
  /** A file holding the bearer token that GET /metrics requires; null: not served on the HTTPS port. */
  metricsTokenFile: string | null;
  /** A separate plain-HTTP listener on 127.0.0.1 serving /metrics without a token; null: none. */
  metricsPort: number | null;
}


export type Command =
  | { name: "serve" }
  | { name: "user-create"; username: string; admin: boolean }
  | { name: "user-reset-password"; username: string }
  | { name: "user-list" }
  | { name: "backup"; file: string; passphraseFile: string | null }
  | { name: "restore"; file: string; passphraseFile: string | null }
  | { name: "doctor" }
  | { name: "migrate-db"; to: string }
  | { name: "audit-verify" }
  | { name: "audit-export"; since: number | null };

export type Invocation =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "run"; command: Command; config: Config };

type FlagSpec = { env?: string; takesValue: boolean };
const FLAGS: Record<string, FlagSpec> = {
  port: { env: "VAULTROOM_PORT", takesValue: true },
  host: { env: "VAULTROOM_HOST", takesValue: true },
  data: { env: "VAULTROOM_DATA", takesValue: true },
  certs: { env: "VAULTROOM_CERTS", takesValue: true },
  "redirect-port": { env: "VAULTROOM_REDIRECT_PORT", takesValue: true },
  origin: { env: "VAULTROOM_ORIGINS", takesValue: true },
  "max-upload": { env: "VAULTROOM_MAX_UPLOAD", takesValue: true },
  "user-quota": { env: "VAULTROOM_USER_QUOTA", takesValue: true },
  "message-rate": { env: "VAULTROOM_MESSAGE_RATE", takesValue: true },
  database: { env: "VAULTROOM_DATABASE", takesValue: true },
  redis: { env: "VAULTROOM_REDIS", takesValue: true },
  files: { env: "VAULTROOM_FILES", takesValue: true },
  "node-id": { env: "VAULTROOM_NODE_ID", takesValue: true },
  to: { takesValue: true },
  domain: { env: "VAULTROOM_DOMAIN", takesValue: true },
  "acme-email": { env: "VAULTROOM_ACME_EMAIL", takesValue: true },
  "acme-directory": { env: "VAULTROOM_ACME_DIRECTORY", takesValue: true },
  "acme-ca-file": { env: "VAULTROOM_ACME_CA_FILE", takesValue: true },
  "acme-challenge": { env: "VAULTROOM_ACME_CHALLENGE", takesValue: true },
  "acme-retry": { env: "VAULTROOM_ACME_RETRY", takesValue: true },
  "passphrase-file": { takesValue: true },
  "push-allow-private": { env: "VAULTROOM_PUSH_ALLOW_PRIVATE", takesValue: false },
  "secrets-file": { env: "VAULTROOM_SECRETS_FILE", takesValue: true },
  "metrics-token-file": { env: "VAULTROOM_METRICS_TOKEN_FILE", takesValue: true },
  "metrics-port": { env: "VAULTROOM_METRICS_PORT", takesValue: true },
  since: { takesValue: true },
  admin: { takesValue: false },
  help: { takesValue: false },
  version: { takesValue: false },
};


export function parseInvocation(argv: string[], env: Record<string, string | undefined>): Invocation {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = FLAGS[name];
    if (!spec) throw new ConfigError(`unknown option --${name} (see --help)`);
    if (!spec.takesValue) {
      if (eq !== -1) throw new ConfigError(`--${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "") throw new ConfigError(`--${name} needs a value`);
    flags.set(name, value);
  }
  if (flags.has("help")) return { kind: "help" };
  if (flags.has("version")) return { kind: "version" };

  const value = (name: string): string | undefined => {
    const flag = flags.get(name);
    if (typeof flag === "string") return flag;
    const envName = FLAGS[name]?.env;
    const fromEnv = envName ? env[envName] : undefined;
    return fromEnv === "" ? undefined : fromEnv;
  };

  const config: Config = {
    port: parsePort("port", value("port") ?? "8443"),
    host: parseHost(value("host") ?? "0.0.0.0"),
    dataDir: resolve(value("data") ?? "./data"),
    certsDir: resolve(value("certs") ?? "./certs"),
    redirectPort: value("redirect-port") === undefined ? null : parsePort("redirect-port", value("redirect-port")!),
    origins: parseOrigins(value("origin")),
    maxUploadBytes: parseSize("max-upload", value("max-upload") ?? "25MiB"),
    userQuotaBytes: parseSize("user-quota", value("user-quota") ?? "1GiB"),
    messageRate: value("message-rate") === undefined ? null : parseRate("message-rate", value("message-rate")!),
    databaseUrl: parseDatabase(value("database")),
    redisUrl: parseRedis(value("redis")),
    filesDir: "",
    nodeId: "",
    acme: parseAcme(value),
    pushAllowPrivate: flags.has("push-allow-private") || env.VAULTROOM_PUSH_ALLOW_PRIVATE === "1",
    secretsFile: "",
    metricsTokenFile: value("metrics-token-file") === undefined ? null : resolve(value("metrics-token-file")!),
    metricsPort: value("metrics-port") === undefined ? null : parsePort("metrics-port", value("metrics-port")!),
  };
  config.secretsFile = value("secrets-file") === undefined ? join(config.dataDir, "secrets.json") : resolve(value("secrets-file")!);
  if (config.metricsPort !== null && (config.metricsPort === config.port || config.metricsPort === config.redirectPort)) {
    throw new ConfigError(`--metrics-port must differ from --port and --redirect-port (got ${config.metricsPort})`);
  }
  config.filesDir = value("files") === undefined ? join(config.dataDir, "files") : resolve(value("files")!);
  config.nodeId = parseNodeId(value("node-id") ?? `${hostname()}:${config.port}`);
  if (config.redirectPort !== null && config.redirectPort === config.port) {
    throw new ConfigError(`--redirect-port must differ from --port (both ${config.port})`);
  }
  // The redirect sends visitors to a configured address (--origin, else --domain), never to the Host
  // a request names; a wildcard --host is not an address anyone can be sent to.
  if (config.redirectPort !== null && config.origins.length === 0 && !config.acme && WILDCARD_HOSTS.has(config.host)) {
    throw new ConfigError(`--redirect-port needs --origin https://your.public.name (where to send visitors) when --host is ${config.host}`);
  }
  if (config.acme?.challenge === "http-01" && config.redirectPort === null) {
    throw new ConfigError("--acme-challenge http-01 needs --redirect-port (ACME servers send HTTP-01 to port 80)");
  }
  return { kind: "run", command: parseCommand(positionals, flags), config };
}

function parseCommand(positionals: string[], flags: Map<string, string | true>): Command {
  const [first = "serve", second, third, ...rest] = positionals;
  const passphrase = flags.get("passphrase-file");
  const passphraseFile = typeof passphrase === "string" ? resolve(passphrase) : null;
  const noMore = (used: number) => {
    if (positionals.length > used) throw new ConfigError(`unexpected argument "${positionals[used]}" (see --help)`);
  };
  switch (first) {
    case "serve":
      noMore(1);
      return { name: "serve" };
    case "doctor":
      noMore(1);
      return { name: "doctor" };
    case "migrate-db": {
      noMore(1);
      const to = flags.get("to");
      if (typeof to !== "string") throw new ConfigError("migrate-db needs --to postgres://… (the empty database to copy into)");
      const url = parseDatabase(to);
      if (url === null) throw new ConfigError("migrate-db --to must be a postgres:// URL");
      return { name: "migrate-db", to: url };
    }
    case "audit": {
      if (second === "verify") {
        noMore(2);
        return { name: "audit-verify" };
      }
      if (second === "export") {
        noMore(2);
        const since = flags.get("since");
        return { name: "audit-export", since: typeof since === "string" ? parseSince(since) : null };
      }
      throw new ConfigError(`unknown audit command "${second ?? ""}": use verify or export`);
    }
    case "backup":
    case "restore":
      if (!second) throw new ConfigError(`${first} needs a FILE (see --help)`);
      noMore(2);
      return { name: first, file: resolve(second), passphraseFile };
    case "user": {
      if (second === "list") {
        noMore(2);
        return { name: "user-list" };
      }
      if (second !== "create" && second !== "reset-password") {
        throw new ConfigError(`unknown user command "${second ?? ""}": use create, reset-password or list`);
      }
      if (!third) throw new ConfigError(`user ${second} needs a NAME`);
      if (rest.length) throw new ConfigError(`unexpected argument "${rest[0]}" (see --help)`);
      return second === "create"
        ? { name: "user-create", username: third, admin: flags.has("admin") }
        : { name: "user-reset-password", username: third };
    }
    default:
      throw new ConfigError(`unknown command "${first}" (see --help)`);
  }
}
