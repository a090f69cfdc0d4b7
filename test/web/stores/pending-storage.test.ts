// Unsent messages kept for a reload of the tab: only well-formed entries come back, as "sending".
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { clearPending, loadPending, savePending } from "../../../web/src/stores/pending-storage.ts";

const window = new Window();
const global = globalThis as { sessionStorage?: Storage };
const previous = global.sessionStorage;
beforeAll(() => {
  global.sessionStorage = window.sessionStorage as unknown as Storage;
});
afterAll(() => {
  global.sessionStorage = previous;
});

const uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("pending message storage", () => {
  test("saves and restores a user's unsent messages, failed ones retried as sending", () => {
    savePending(7, [{ clientId: uuid, roomId: 3, body: "hello", createdAt: 1, status: "failed", error: "Too many attempts" }]);
    expect(loadPending(7)).toEqual([{ clientId: uuid, roomId: 3, body: "hello", createdAt: 1, status: "sending" }]);
    expect(loadPending(8)).toEqual([]);
  });

  test("an empty list or a logout leaves nothing behind", () => {
    savePending(7, [{ clientId: uuid, roomId: 3, body: "x", createdAt: 1, status: "sending" }]);
    clearPending(7);
    expect(window.sessionStorage.length).toBe(0);
    savePending(7, []);
    expect(window.sessionStorage.length).toBe(0);
  });

  test("tampered or malformed entries are ignored", () => {
    window.sessionStorage.setItem("vaultroom.pending.9", JSON.stringify([
      { clientId: "not-a-uuid", roomId: 3, body: "x", createdAt: 1 },
      { clientId: uuid, roomId: -1, body: "x", createdAt: 1 },
      { clientId: uuid, roomId: 3, body: "y".repeat(5000), createdAt: 1 },
      { clientId: uuid, roomId: 3, body: "ok", createdAt: 2, extra: "<img>" },
    ]));
    expect(loadPending(9)).toEqual([{ clientId: uuid, roomId: 3, body: "ok", createdAt: 2, status: "sending" }]);
    window.sessionStorage.setItem("vaultroom.pending.9", "{not json");
    expect(loadPending(9)).toEqual([]);
  });
});
