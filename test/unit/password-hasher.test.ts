import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { HashThreads } from "../../src/accounts/hash-threads.ts";
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

  test("hashes on its own threads, at a lower CPU priority than the event loop", async () => {
    // Field 19 of a thread's stat is its nice value; the name field before it may hold spaces, so count from its end.
    const niceOf = (tid: number) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const threads = new HashThreads(2, 60_000);
    // Two at once: two threads, each lowered, as the system itself says (not only as the thread said).
    const [a, b] = await Promise.all([threads.hash("first-password"), threads.hash("second-password")]);
    const seen = threads.threads();
    expect({ count: seen.count, lowered: seen.lowered }).toEqual({ count: 2, lowered: [true, true] });
    expect(seen.tids.map((tid) => niceOf(tid!))).toEqual([10, 10]);
    expect(niceOf(process.pid)).toBe(0);
    expect(await threads.verify("first-password", a)).toBe(true);
    expect(await threads.verify("first-password", b)).toBe(false);
    const unreadable = await threads.verify("anything", "not a hash").then(() => null, (error: unknown) => error);
    expect(unreadable).toBeInstanceOf(Error);
    threads.close();
    expect(threads.threads().count).toBe(0);
  });

  test("ends its threads after a quiet spell and starts them again when needed", async () => {
    const threads = new HashThreads(1, 50);
    const hash = await threads.hash("a-password");
    for (let waited = 0; threads.threads().count > 0 && waited < 10_000; waited += 25) await Bun.sleep(25);
    expect(threads.threads().count).toBe(0);
    expect(await threads.verify("a-password", hash)).toBe(true);
    expect(threads.threads().count).toBe(1);
    threads.close();
  });
});
