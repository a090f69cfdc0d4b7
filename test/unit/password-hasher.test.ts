import { describe, expect, test } from "bun:test";
import { createPasswordHasher } from "../../src/accounts/password-hasher.ts";
import { AppError } from "../../src/errors.ts";

describe("password hasher", () => {
  test("hashes with argon2id and verifies the same password typed in another Unicode form", async () => {
    const hasher = createPasswordHasher();
    const hash = await hasher.hash("Ångström-passphrase");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await hasher.verify("A\u030Angstro\u0308m-passphrase", hash)).toBe(true);
    expect(await hasher.verify("Angstrom-passphrase", hash)).toBe(false);
    expect(await hasher.verify("anything", "")).toBe(false);
  });

  test("verifies unknown users against a dummy hash, which never matches", async () => {
    expect(await createPasswordHasher().verifyDummy("correct horse battery staple")).toBe(false);
  });

  test("turns work away with 503 and Retry-After once its queue is full", async () => {
    const hasher = createPasswordHasher({ concurrency: 1, maxWaiting: 1 });
    const results = await Promise.allSettled([hasher.hash("first-password"), hasher.hash("second-password"), hasher.hash("third-password")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    const refusal = (results[2] as PromiseRejectedResult).reason as AppError;
    expect(refusal).toBeInstanceOf(AppError);
    expect([refusal.status, refusal.code, refusal.headers["retry-after"]]).toEqual([503, "server_busy", "2"]);
  });
});
