import { join } from "node:path";

export const BINARY = join(import.meta.dir, "../../dist/vaultroom");

export { freePort } from "../support/binary.ts";

export async function waitForHealth(base: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${base}/api/health`, { tls: { rejectUnauthorized: false } });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base} did not answer within ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}
