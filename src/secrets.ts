// Secrets the server needs are generated on first run and kept in the data directory, 0600.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Secrets {
  /** Key for signing session tokens (HS256); 32 random bytes, base64url. */
  sessionKey: string;
}

export function loadOrCreateSecrets(dataDir: string): Secrets {
  const path = join(dataDir, "secrets.json");
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Secrets>;
    if (typeof parsed.sessionKey !== "string" || parsed.sessionKey.length < 43) {
      throw new Error(`${path} is damaged: sessionKey is missing or too short`);
    }
    chmodSync(path, 0o600);
    return { sessionKey: parsed.sessionKey };
  }
  const secrets: Secrets = { sessionKey: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url") };
  writeFileSync(path, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}
