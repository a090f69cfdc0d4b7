// Push endpoints come from browsers, so they are untrusted URLs the server will POST to: a way to make
// it reach into its own network (SSRF) unless checked. An endpoint must be https, carry no user name
// or password, stay under a length cap, and name a host whose every address (after DNS resolution,
// done here: Bun's fetch takes no filtering agent) is public. `--push-allow-private` lifts only the
// address rule, for tests and air-gapped networks that run their own push service.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

export const MAX_ENDPOINT_LENGTH = 1024;

/**
 * `addresses`: the addresses checked, when the host's name was resolved for the check — the only ones
 * a request may then go to (a second lookup could answer otherwise: DNS rebinding).
 */
export type EndpointVerdict = { ok: true; url: URL; addresses?: string[] } | { ok: false; reason: string };

/** The URL's form only (no DNS): what the subscribe route checks before storing it. */
export function checkEndpointForm(raw: string): EndpointVerdict {
  if (raw.length > MAX_ENDPOINT_LENGTH) return { ok: false, reason: "too long" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "not https" };
  if (url.username || url.password) return { ok: false, reason: "carries credentials" };
  if (url.port && url.port !== "443" && !/^\d{1,5}$/.test(url.port)) return { ok: false, reason: "bad port" };
  if (url.hash) return { ok: false, reason: "has a fragment" };
  return { ok: true, url };
}

function ipv4Bytes(ip: string): number[] {
  return ip.split(".").map(Number);
}

function isPublicIpv4(ip: string): boolean {
  const [a, b, c] = ipv4Bytes(ip) as [number, number, number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast, reserved
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false; // link-local (cloud metadata lives here)
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, documentation
  if (a === 192 && b === 88 && c === 99) return false; // 6to4 relay anycast
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return true;
}

/** Eight 16-bit groups of an IPv6 address (valid input, as isIP says). */
function ipv6Groups(ip: string): number[] {
  let text = ip.split("%")[0]!.toLowerCase();
  // A dotted IPv4 tail ("::ffff:1.2.3.4") becomes its two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = ipv4Bytes(v4[1]!) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  if (!text.includes("::")) return parse(text);
  const [head, tail] = text.split("::") as [string, string];
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function isPublicIpv6(ip: string): boolean {
  const g = ipv6Groups(ip);
  const embedded = () => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return isPublicIpv4(embedded());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPublicIpv4(embedded());
  // Only global unicast (2000::/3) is public; within it, documentation, Teredo, 6to4 and ORCHID are not.
  if ((g[0]! & 0xe000) !== 0x2000) return false;
  if (g[0] === 0x2001 && (g[1] === 0x0db8 || g[1]! < 0x0200)) return false;
  if (g[0] === 0x2002) return false;
  return true;
}

export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return isPublicIpv4(ip);
  if (family === 6) return isPublicIpv6(ip);
  return false;
}

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The endpoint, if it may be sent to now: its form, then every address its host resolves to. A name
 * that does not resolve is refused like a private one.
 */
export async function checkEndpoint(raw: string, options: { allowPrivate: boolean; resolve?: Resolver }): Promise<EndpointVerdict> {
  const form = checkEndpointForm(raw);
  if (!form.ok || options.allowPrivate) return form;
  const host = form.url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? systemResolver)(host);
  } catch {
    return { ok: false, reason: "does not resolve" };
  }
  if (addresses.length === 0) return { ok: false, reason: "does not resolve" };
  for (const address of addresses) if (!isPublicAddress(address)) return { ok: false, reason: `resolves to a non-public address (${address})` };
  return { ...form, addresses };
}
