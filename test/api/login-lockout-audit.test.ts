// A password typed into the username field by mistake must never reach the audit log or the JSON
// log, not even when the mistaken "name" gets locked out by the per-username rate limit.
import { expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { createTestApp } from "../support/app.ts";
import { auditRows, registerUser } from "./accounts-helpers.ts";

test("a lockout on a name no account has is audited without that name", async () => {
  const lines: string[] = [];
  const app = await createTestApp({ logger: createLogger((line) => lines.push(line)) });
  try {
    await registerUser(app, "alice");
    const misplaced = "Tr0ub4dor&3-horse";
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (await app.request("/api/auth/login", { json: { username: misplaced, password: `guess number ${i}` } })).status;
    }
    expect(last).toBe(429);
    const lockouts = await auditRows(app, "login_locked_out");
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]!.target).toBeNull();
    expect(JSON.stringify(lockouts)).not.toContain(misplaced.toLowerCase());
    expect(lines.join("\n").toLowerCase()).not.toContain(misplaced.toLowerCase());
  } finally {
    await app.close();
  }
}, 30_000); // eleven argon2id verifications on a shared machine
