import { describe, expect, test } from "bun:test";
import { Presence } from "../../src/presence/presence.ts";

function tracker() {
  const announced: { online: number[]; offline: number[] }[] = [];
  // A long interval: these tests call flush() themselves with the time they want.
  const presence = new Presence({ graceMs: 2000, intervalMs: 3_600_000, announce: (online, offline) => announced.push({ online, offline }) });
  return { presence, announced };
}

describe("presence", () => {
  test("several tabs make one announcement; the last one closing makes one offline, after the grace", () => {
    const { presence, announced } = tracker();
    presence.connected(7);
    presence.connected(7);
    presence.connected(8);
    presence.flush();
    expect(announced).toEqual([{ online: [7, 8], offline: [] }]);
    presence.disconnected(7);
    presence.flush(Date.now() + 10_000);
    expect(announced).toHaveLength(1);
    presence.disconnected(7);
    presence.flush();
    expect(announced).toHaveLength(1);
    expect(presence.isOnline(7)).toBe(true);
    presence.flush(Date.now() + 2500);
    expect(announced[1]).toEqual({ online: [], offline: [7] });
    expect(presence.onlineUserIds()).toEqual([8]);
    presence.close();
  });

  test("a page reload (close then reopen within the grace) announces nothing", () => {
    const { presence, announced } = tracker();
    presence.connected(3);
    presence.flush();
    presence.disconnected(3);
    presence.connected(3);
    presence.flush(Date.now() + 10_000);
    expect(announced).toEqual([{ online: [3], offline: [] }]);
    presence.close();
  });

  test("a visit too short to be announced is never announced at all", () => {
    const { presence, announced } = tracker();
    presence.connected(5);
    presence.disconnected(5);
    presence.flush(Date.now() + 10_000);
    expect(announced).toEqual([]);
    expect(presence.isOnline(5)).toBe(false);
    presence.close();
  });
});
