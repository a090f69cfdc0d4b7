// Which TLS 1.2 suite the server picks when a client lists the allowed suites in the reverse of the
// server's order: with the server's preference enforced it is the server's first, not the client's.
// openssl is a test-only tool here; VaultRoom never runs it.
import { TLS_CIPHERS } from "../../src/tls/policy.ts";

/** The allowed suites for one key type, most preferred by the server first. */
export function serverOrder(key: "ECDSA" | "RSA"): string[] {
  return TLS_CIPHERS.split(":").filter((name) => name.startsWith(`ECDHE-${key}-`));
}

export async function negotiatedTls12Cipher(port: number, clientOrder: string[]): Promise<string> {
  const run = Bun.spawn(
    ["openssl", "s_client", "-connect", `127.0.0.1:${port}`, "-tls1_2", "-cipher", clientOrder.join(":")],
    { stdin: new TextEncoder().encode("Q\n"), stdout: "pipe", stderr: "pipe", timeout: 20_000 },
  );
  const [out] = await Promise.all([new Response(run.stdout).text(), run.exited]);
  const cipher = /Cipher is (\S+)/.exec(out)?.[1];
  if (!cipher || cipher === "(NONE)") throw new Error(`openssl s_client negotiated nothing:\n${out.slice(-1000)}`);
  return cipher;
}
