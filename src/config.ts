// The only reader of flags and environment variables. Everything else receives a typed Config.
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { UploadPace } from "./files/upload-pace.ts";
import type { UploadSlotLimits } from "./files/upload-slots.ts";
import { VERSION } from "./version.ts";

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
  /** Certificates from an ACME CA (Let's Encrypt) for --domain; null without --domain. */
  acme: AcmeConfig | null;
  /**
   * --push-allow-private: Web Push may reach push services on private, loopback and link-local
   * addresses (tests, air-gapped networks with their own push service). Off: only public addresses.
   */
  pushAllowPrivate: boolean;
  /** Tests only, like uploadTuning: a CA to trust for a test push service, faster retries. */
  pushTuning?: { ca?: string; retryBaseMs?: number; timeoutMs?: number };
  /** The secrets file: <data>/secrets.json unless --secrets-file names one (a cluster's nodes share it). */
  secretsFile: string;
  /** A file holding the bearer token that GET /metrics requires; null: not served on the HTTPS port. */
  metricsTokenFile: string | null;
  /** A separate plain-HTTP listener on 127.0.0.1 serving /metrics without a token; null: none. */
  metricsPort: number | null;
}

export type AcmeChallenge = "tls-alpn-01" | "http-01";

export interface AcmeConfig {
  /** Lower-case DNS names, validated; the first is the certificate's main name. */
  domains: string[];
  email: string | null;
  directoryUrl: string;
  /** PEM bundle trusted for the ACME server's own HTTPS (tests, private CAs); null trusts the usual roots. */
  caFile: string | null;
  /** null: chosen from the ports (see src/acme/challenge-choice.ts). */
  challenge: AcmeChallenge | null;
  /** Wait after a first failed attempt; it doubles after each further failure, up to an hour. */
  retrySeconds: number;
}

export const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
export const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";

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

export class ConfigError extends Error {}

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

export const HELP = `VaultRoom ${VERSION}: self-hosted secure chat and file sharing

Usage:
  vaultroom [serve] [options]          run the server (the default command)
  vaultroom user create NAME [--admin] create an account (password from stdin, or generated and printed once)
  vaultroom user reset-password NAME   set a new one-time password and end the user's sessions
  vaultroom user list                  list accounts
  vaultroom backup FILE [--passphrase-file F]   consistent online backup of the data directory
  vaultroom restore FILE [--passphrase-file F]  restore a backup into an empty --data directory
  vaultroom doctor                     check a data directory (and Postgres, Redis) and say what is wrong
  vaultroom migrate-db --to URL        copy a stopped server's SQLite data into an empty Postgres database
  vaultroom audit verify               check the audit log's hash chain and signed checkpoints
  vaultroom audit export [--since T]   write the audit log as JSON lines (T: a date, e.g. 2026-11-01)

Options (each has an environment variable; a flag wins over the variable):
  --port N            VAULTROOM_PORT           HTTPS port (default 8443)
  --host ADDR         VAULTROOM_HOST           address to listen on (default 0.0.0.0)
  --data DIR          VAULTROOM_DATA           data directory (default ./data)
  --certs DIR         VAULTROOM_CERTS          directory with cert.pem + key.pem (default ./certs;
                                               a self-signed certificate is generated when absent)
  --redirect-port N   VAULTROOM_REDIRECT_PORT  also listen on plain HTTP and redirect to HTTPS (to the first
                                               --origin, else to --host; needs one of them)
  --origin URL[,URL]  VAULTROOM_ORIGINS        extra allowed origins, e.g. https://chat.example.org
  --max-upload SIZE   VAULTROOM_MAX_UPLOAD     largest upload, e.g. 25MiB (default 25MiB); sizes are in
                                               binary units (KiB, MiB, GiB; KB, MB, GB read the same)
  --user-quota SIZE   VAULTROOM_USER_QUOTA     storage per user, e.g. 1GiB (default 1GiB)
  --message-rate N    VAULTROOM_MESSAGE_RATE   messages per second one user may post (default 8); bursts
                                               and per-connection limits scale with it (bots, bridges)
  --secrets-file F    VAULTROOM_SECRETS_FILE   the secrets file (default <data>/secrets.json); in a cluster
                                               give every node the same one (it holds the audit key)
  --metrics-token-file F                       serve Prometheus metrics at https://…/metrics to
                      VAULTROOM_METRICS_TOKEN_FILE  "Authorization: Bearer <the file's token>"
  --metrics-port N    VAULTROOM_METRICS_PORT   serve /metrics on http://127.0.0.1:N (loopback only, no token)

Cluster mode (several nodes on one Postgres + Redis; see README "Running a cluster"):
  --database URL      VAULTROOM_DATABASE       sqlite: (default: <data>/vaultroom.db) or postgres://user@host/db
  --redis URL         VAULTROOM_REDIS          redis://host:port: cross-node delivery, presence, shared limits
                                               (required with Postgres when more than one node runs)
  --files DIR         VAULTROOM_FILES          uploaded files (default <data>/files); in a cluster a
                                               directory every node shares (NFS or similar)
  --node-id NAME      VAULTROOM_NODE_ID        this node's name in logs and presence (default host:port)
  --domain NAMES      VAULTROOM_DOMAIN         comma-separated DNS names: get a trusted certificate for them
                                               by ACME (Let's Encrypt), renew it, swap it in without a restart
  --acme-email ADDR   VAULTROOM_ACME_EMAIL     contact address for the ACME account (optional)
  --acme-directory URL                         ACME directory (default Let's Encrypt; "staging" for its
                      VAULTROOM_ACME_DIRECTORY staging directory)
  --acme-ca-file F    VAULTROOM_ACME_CA_FILE   CA bundle (PEM) to trust for the ACME server itself
  --acme-challenge T  VAULTROOM_ACME_CHALLENGE tls-alpn-01 or http-01 (default: chosen from the ports)
  --acme-retry SECS   VAULTROOM_ACME_RETRY     wait after a failed attempt, doubling up to an hour
                                               (default 600)
  --push-allow-private VAULTROOM_PUSH_ALLOW_PRIVATE=1
                                               let Web Push reach push services on private or loopback
                                               addresses (tests, air-gapped networks); off by default
  --help, --version
`;

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

/** --since: a date or date-time (ISO 8601, UTC unless it says otherwise), as milliseconds since the epoch. */
function parseSince(raw: string): number {
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at)) throw new ConfigError(`--since must be a date like 2026-11-01 (or 2026-11-01T12:00:00Z), got "${raw.slice(0, 40)}"`);
  return at;
}

function parseDatabase(raw: string | undefined): string | null {
  if (raw === undefined || raw === "sqlite:" || raw === "sqlite") return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--database must be sqlite: or a postgres:// URL, got "${raw.slice(0, 80)}"`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(`--database must be sqlite: or a postgres:// URL, got a ${url.protocol} URL`);
  }
  return raw;
}

function parseRedis(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--redis must be a redis:// URL, got "${raw.slice(0, 80)}"`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new ConfigError(`--redis must be a redis:// or rediss:// URL, got a ${url.protocol} URL`);
  return raw;
}

function parseNodeId(raw: string): string {
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(raw)) throw new ConfigError(`--node-id must be 1 to 64 letters, digits, dots, colons, underscores or hyphens, got "${raw.slice(0, 80)}"`);
  return raw;
}
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);

function parsePort(name: string, raw: string): number {
  if (!/^\d{1,5}$/.test(raw)) throw new ConfigError(`--${name} must be a port number from 0 to 65535, got "${raw}"`);
  const port = Number(raw);
  if (port > 65535) throw new ConfigError(`--${name} must be a port number from 0 to 65535, got "${raw}"`);
  return port;
}

function parseRate(name: string, raw: string): number {
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1) throw new ConfigError(`--${name} must be a whole number of messages per second from 1 to 9999999, got "${raw}"`);
  return Number(raw);
}

function parseHost(raw: string): string {
  // An IPv4/IPv6 literal or a host name; nothing with spaces, schemes or paths.
  if (!/^[A-Za-z0-9.:-]+$/.test(raw) && !/^\[[0-9a-fA-F:]+\]$/.test(raw)) {
    throw new ConfigError(`--host must be an address or host name, got "${raw}"`);
  }
  return raw.replace(/^\[|\]$/g, "");
}

function parseOrigins(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw.split(",").map((entry) => {
    const trimmed = entry.trim();
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new ConfigError(`--origin must be a list of URLs like https://chat.example.org, got "${trimmed}"`);
    }
    if (url.protocol !== "https:") throw new ConfigError(`--origin must use https://, got "${trimmed}"`);
    return url.origin;
  });
}

// One convention everywhere, the one the interface shows: binary (IEC) units. "MB" is read as MiB, so
// `--max-upload 25MB` allows exactly the "25 MiB" the upload dialog then states.
const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

export function parseSize(name: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new ConfigError(`--${name} must be a size like 25MiB, 500KiB or 1048576 (binary units: 1 MiB = 1024 KiB), got "${raw}"`);
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1 || !Number.isSafeInteger(bytes)) throw new ConfigError(`--${name} must be at least 1 byte, got "${raw}"`);
  return bytes;
}

const ACME_FLAGS = ["acme-email", "acme-directory", "acme-ca-file", "acme-challenge", "acme-retry"];

function parseAcme(value: (name: string) => string | undefined): AcmeConfig | null {
  const raw = value("domain");
  if (raw === undefined) {
    const stray = ACME_FLAGS.find((name) => value(name) !== undefined);
    if (stray) throw new ConfigError(`--${stray} needs --domain`);
    return null;
  }
  const challenge = value("acme-challenge");
  if (challenge !== undefined && challenge !== "tls-alpn-01" && challenge !== "http-01") {
    throw new ConfigError(`--acme-challenge must be tls-alpn-01 or http-01, got "${challenge}"`);
  }
  const retry = value("acme-retry") ?? "600";
  if (!/^\d{1,5}$/.test(retry) || Number(retry) < 1) throw new ConfigError(`--acme-retry must be a whole number of seconds from 1 to 99999, got "${retry}"`);
  const caFile = value("acme-ca-file");
  return {
    domains: parseDomains(raw),
    email: parseEmail(value("acme-email")),
    directoryUrl: parseDirectory(value("acme-directory")),
    caFile: caFile === undefined ? null : resolve(caFile),
    challenge: challenge ?? null,
    retrySeconds: Number(retry),
  };
}

/**
 * Names a public CA can validate by HTTP-01 or TLS-ALPN-01: at least two labels of letters, digits and
 * hyphens (internationalised names in their xn-- form), no wildcard (that needs DNS-01), no address.
 */
export function parseDomains(raw: string): string[] {
  const names = raw.split(",").map((name) => name.trim().toLowerCase().replace(/\.$/, ""));
  for (const name of names) {
    const labels = name.split(".");
    const valid =
      name.length <= 253 &&
      labels.length >= 2 &&
      labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) &&
      !/^\d+$/.test(labels.at(-1)!);
    if (!valid) {
      throw new ConfigError(`--domain must be a list of DNS names like chat.example.org (no wildcards, no addresses), got "${name}"`);
    }
  }
  const unique = [...new Set(names)];
  if (unique.length > 100) throw new ConfigError(`--domain accepts at most 100 names, got ${unique.length}`);
  return unique;
}

function parseEmail(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (raw.length > 254 || !/^[^\s@<>(),;:"]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(raw)) {
    throw new ConfigError(`--acme-email must be an e-mail address like admin@example.org, got "${raw}"`);
  }
  return raw;
}

function parseDirectory(raw: string | undefined): string {
  if (raw === undefined || raw === "production") return LETS_ENCRYPT;
  if (raw === "staging") return LETS_ENCRYPT_STAGING;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--acme-directory must be an https:// URL or "staging", got "${raw}"`);
  }
  // RFC 8555 section 6.1: ACME runs over HTTPS only.
  if (url.protocol !== "https:") throw new ConfigError(`--acme-directory must use https://, got "${raw}"`);
  return url.href;
}
