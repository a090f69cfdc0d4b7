// The web client's message ids are UUIDv7: valid UUIDs the server accepts, time-ordered, and
// strictly increasing within a tab even when many are made in one millisecond.
import { expect, test } from "bun:test";
import { newClientId } from "../../../web/src/chat/client-id.ts";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("an id is a version 7, RFC 9562 variant UUID whose first 48 bits are the time in ms", () => {
  // Later than any id this process made before (ids never go back in time within a tab, and other
  // test files in the same run may have made some with the real clock).
  const now = Date.UTC(2100, 10, 30, 12, 0, 0, 123);
  const id = newClientId(now);
  expect(id).toMatch(V7);
  expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(now);
});

test("ids made one after the other sort in the order they were made, within a millisecond too", () => {
  const now = Date.UTC(2027, 0, 1);
  const ids = Array.from({ length: 5000 }, (_, i) => newClientId(now + Math.floor(i / 1000)));
  for (const id of ids) expect(id).toMatch(V7);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
});

test("a clock that steps back does not break the order", () => {
  const first = newClientId(Date.UTC(2027, 5, 1));
  const second = newClientId(Date.UTC(2027, 4, 1));
  expect(second > first).toBe(true);
});
