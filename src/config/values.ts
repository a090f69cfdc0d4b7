// Values of flags and environment variables, each read strictly: a clear ConfigError naming the flag
// and what it expects, never a default silently taken instead of what the admin wrote.
export class ConfigError extends Error {}

/** --since: a date or date-time (ISO 8601, UTC unless it says otherwise), as milliseconds since the epoch. */
export function parseSince(raw: string): number {
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at)) throw new ConfigError(`--since must be a date like 2026-11-01 (or 2026-11-01T12:00:00Z), got "${raw.slice(0, 40)}"`);
  return at;
}

export function parseDatabase(raw: string | undefined): string | null {
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

export function parseRedis(raw: string | undefined): string | null {
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

export function parseNodeId(raw: string): string {
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(raw)) throw new ConfigError(`--node-id must be 1 to 64 letters, digits, dots, colons, underscores or hyphens, got "${raw.slice(0, 80)}"`);
  return raw;
}
export const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);

export function parsePort(name: string, raw: string): number {
  if (!/^\d{1,5}$/.test(raw)) throw new ConfigError(`--${name} must be a port number from 0 to 65535, got "${raw}"`);
  const port = Number(raw);
  if (port > 65535) throw new ConfigError(`--${name} must be a port number from 0 to 65535, got "${raw}"`);
  return port;
}

export function parseRate(name: string, raw: string): number {
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1) throw new ConfigError(`--${name} must be a whole number of messages per second from 1 to 9999999, got "${raw}"`);
  return Number(raw);
}

export function parseHost(raw: string): string {
  // An IPv4/IPv6 literal or a host name; nothing with spaces, schemes or paths.
  if (!/^[A-Za-z0-9.:-]+$/.test(raw) && !/^\[[0-9a-fA-F:]+\]$/.test(raw)) {
    throw new ConfigError(`--host must be an address or host name, got "${raw}"`);
  }
  return raw.replace(/^\[|\]$/g, "");
}

export function parseOrigins(raw: string | undefined): string[] {
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
