import { describe, expect, test } from "bun:test";
import { ConnectionBuckets, DEFAULT_CHAT_LIMITS } from "../../src/messages/chat-limits.ts";

describe("a connection's message bucket", () => {
  test("allows a burst of 20, then about 5 a second", () => {
    const now = 1_000_000;
    const { messages } = new ConnectionBuckets(DEFAULT_CHAT_LIMITS);
    const burst = Array.from({ length: 25 }, () => messages.take(now));
    expect(burst.filter((wait) => wait === 0)).toHaveLength(20);
    expect(burst.at(-1)).toBe(1);
    const oneSecondLater = Array.from({ length: 10 }, () => messages.take(now + 1000));
    expect(oneSecondLater.filter((wait) => wait === 0)).toHaveLength(5);
  });

  test("the per-user bucket is larger than one connection's but not twenty times larger", () => {
    expect(DEFAULT_CHAT_LIMITS.userMessages.capacity).toBeGreaterThan(DEFAULT_CHAT_LIMITS.connectionMessages.capacity);
    expect(DEFAULT_CHAT_LIMITS.userMessages.refillPerSecond).toBeLessThan(
      DEFAULT_CHAT_LIMITS.connectionMessages.refillPerSecond * DEFAULT_CHAT_LIMITS.maxSocketsPerUser,
    );
  });
});
