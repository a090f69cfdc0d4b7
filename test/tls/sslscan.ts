// Runs sslscan (Debian package) against a local TLS port and judges what it saw against VaultRoom's
// transport policy: TLS 1.2 and 1.3 only, forward-secret key exchange, AEAD ciphers only.

export interface ScanResult {
  protocols: { name: string; enabled: boolean }[];
  ciphers: { protocol: string; name: string }[];
  insecureRenegotiation: boolean;
  heartbleed: boolean;
  compression: boolean;
}

const TLS13_AEAD = new Set(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256"]);
// (EC)DHE key exchange = forward secrecy; GCM or ChaCha20-Poly1305 = AEAD. Anything else is refused.
const TLS12_FS_AEAD = /^(ECDHE|DHE)-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/;

export function sslscanPath(): string {
  const path = Bun.which("sslscan");
  if (!path) {
    throw new Error("sslscan is not installed, so the TLS policy cannot be checked: run `apt-get install -y sslscan` (CI installs it)");
  }
  return path;
}

/** Asynchronous on purpose: the server under test usually runs in this same process and must keep answering. */
export async function scan(port: number): Promise<ScanResult> {
  const run = Bun.spawn([sslscanPath(), "--no-colour", "--xml=-", `127.0.0.1:${port}`], { stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  const [xml, stderr, exitCode] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
  if (!xml.includes("<ssltest")) throw new Error(`sslscan produced no result (exit ${exitCode}): ${stderr.slice(0, 500)}`);
  const attrs = (tag: string) =>
    [...xml.matchAll(new RegExp(`<${tag}\\s([^>]*)/?>`, "g"))].map((m) => Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
  return {
    protocols: attrs("protocol").map((p) => ({ name: `${p.type === "ssl" ? "SSLv" : "TLSv"}${p.version}`, enabled: p.enabled === "1" })),
    ciphers: attrs("cipher")
      .filter((c) => c.status === "accepted" || c.status === "preferred")
      .map((c) => ({ protocol: c.sslversion!, name: c.cipher! })),
    insecureRenegotiation: attrs("renegotiation").some((r) => r.supported === "1" && r.secure !== "1"),
    heartbleed: attrs("heartbleed").some((h) => h.vulnerable === "1"),
    compression: attrs("compression").some((c) => c.supported === "1"),
  };
}

/** Every way the scan departs from the policy, in words; empty when the endpoint is compliant. */
export function policyViolations(result: ScanResult): string[] {
  const violations: string[] = [];
  for (const protocol of result.protocols) {
    if (protocol.enabled && protocol.name !== "TLSv1.2" && protocol.name !== "TLSv1.3") violations.push(`${protocol.name} is enabled`);
  }
  if (result.ciphers.length === 0) violations.push("the scan saw no accepted cipher at all (did it connect?)");
  for (const cipher of result.ciphers) {
    const ok = cipher.protocol === "TLSv1.3" ? TLS13_AEAD.has(cipher.name) : cipher.protocol === "TLSv1.2" && TLS12_FS_AEAD.test(cipher.name);
    if (!ok) violations.push(`${cipher.protocol} ${cipher.name} is accepted (${weakness(cipher.name)})`);
  }
  if (result.insecureRenegotiation) violations.push("insecure renegotiation is supported");
  if (result.heartbleed) violations.push("vulnerable to heartbleed");
  if (result.compression) violations.push("TLS compression is enabled (CRIME)");
  return violations;
}

function weakness(name: string): string {
  if (/NULL/.test(name)) return "no encryption";
  if (/EXP/.test(name)) return "export-grade";
  if (/RC4/.test(name)) return "RC4";
  if (/ADH|AECDH|anon/i.test(name)) return "anonymous key exchange";
  if (!/^(ECDHE|DHE)-/.test(name) && !name.startsWith("TLS_")) return "static RSA: no forward secrecy";
  if (!/GCM|CHACHA20|CCM/.test(name)) return "CBC: not AEAD";
  return "not in the policy";
}
