// The reconnect backoff: grows, is capped, and is jittered so many tabs do not return at once.
import { describe, expect, test } from "bun:test";
import { backoffDelay } from "../../../web/src/api/socket.ts";

describe("backoffDelay", () => {
  test("doubles from half a second and stops growing at 15 s", () => {
    const ceiling = (attempt: number) => backoffDelay(attempt, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6].map(ceiling)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect(ceiling(1000)).toBe(15000);
  });

  test("is at least half the ceiling, whatever the jitter", () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(10, () => 0)).toBe(7500);
  });

  test("two tabs reconnecting together spread out", () => {
    expect(backoffDelay(4, () => 0.1)).not.toBe(backoffDelay(4, () => 0.9));
  });
});
