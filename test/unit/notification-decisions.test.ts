// Who is notified of a message: the one rule (src/protocol/notify-rule.ts) as a table of level ×
// do-not-disturb × mute × visible tab × DM/mention, checked on what the server runs (Web Push) and
// on what the web client runs (desktop notifications), which must agree.
import { describe, expect, test } from "bun:test";
import { decideNotification as onServer } from "../../src/protocol/notify-rule.ts";
import { decideNotification as inBrowser } from "../../web/src/notifications/decide.ts";
import type { NotificationLevel } from "../../src/protocol.ts";

const NOW = 1_000_000;
const LATER = NOW + 3_600_000;
const EARLIER = NOW - 1;

type Kind = "room" | "room+mention" | "dm" | "dm+mention";
type Row = [level: NotificationLevel | null, dnd: "off" | "on" | "over", mute: "off" | "on" | "over", visible: boolean, kind: Kind, alert: boolean, push: boolean];

const time = (state: "off" | "on" | "over") => (state === "off" ? null : state === "on" ? LATER : EARLIER);

// prettier-ignore
const TABLE: Row[] = [
  // level      dnd    mute   visible kind            alert  push
  [null,        "off", "off", false, "room",          false, false], // rooms default to mentions only
  [null,        "off", "off", false, "room+mention",  true,  true],
  [null,        "off", "off", true,  "room+mention",  true,  false], // a visible tab: no push, the tab alerts
  [null,        "off", "off", false, "dm",            true,  true],  // DMs default to all
  [null,        "off", "off", true,  "dm",            true,  false],
  ["all",       "off", "off", false, "room",          true,  true],
  ["all",       "off", "off", true,  "room",          true,  false],
  ["mentions",  "off", "off", false, "room",          false, false],
  ["mentions",  "off", "off", false, "room+mention",  true,  true],
  ["mentions",  "off", "off", false, "dm",            true,  true],  // "mentions and DMs only"
  ["nothing",   "off", "off", false, "room+mention",  false, false],
  ["nothing",   "off", "off", false, "dm+mention",    false, false],
  ["all",       "on",  "off", false, "room",          false, false], // do-not-disturb silences everything
  [null,        "on",  "off", false, "dm+mention",    false, false],
  [null,        "over","off", false, "dm",            true,  true],  // a do-not-disturb that ended
  ["all",       "off", "on",  false, "room",          false, false], // muted
  [null,        "off", "on",  false, "room+mention",  false, false], // muted: even a mention does not alert
  [null,        "off", "on",  false, "dm",            false, false],
  ["all",       "off", "over",false, "room",          true,  true],  // a mute that ran out
  ["mentions",  "on",  "on",  true,  "dm+mention",    false, false],
];

describe("notification decisions", () => {
  for (const [level, dnd, mute, visible, kind, alert, push] of TABLE) {
    const name = `level ${level ?? "default"}, DND ${dnd}, mute ${mute}, ${visible ? "visible tab" : "no visible tab"}, ${kind} → ${alert ? (push ? "push" : "alert, no push") : "nothing"}`;
    test(name, () => {
      const input = {
        level,
        defaultLevel: "mentions" as const,
        dm: kind.startsWith("dm"),
        mention: kind.endsWith("mention"),
        systemLine: false,
        mutedUntil: time(mute),
        dndUntil: time(dnd),
        visibleTab: visible,
        now: NOW,
      };
      expect(onServer(input)).toEqual({ alert, push });
      expect(inBrowser(input)).toEqual({ alert, push });
    });
  }

  test("a user whose default level is all hears every room message; one whose default is nothing hears no room", () => {
    const base = { level: null, dm: false, mention: false, systemLine: false, mutedUntil: null, dndUntil: null, visibleTab: false, now: NOW };
    expect(onServer({ ...base, defaultLevel: "all" })).toEqual({ alert: true, push: true });
    expect(onServer({ ...base, defaultLevel: "nothing", mention: true })).toEqual({ alert: false, push: false });
    // The default is for rooms: a DM without a level of its own still notifies.
    expect(onServer({ ...base, defaultLevel: "nothing", dm: true })).toEqual({ alert: true, push: true });
    expect(inBrowser({ ...base, defaultLevel: "nothing", dm: true })).toEqual({ alert: true, push: true });
  });

  test("a system line (joined, left, renamed…) alerts nobody, whatever the level", () => {
    const line = { level: "all" as const, defaultLevel: "all" as const, mention: false, systemLine: true, mutedUntil: null, dndUntil: null, visibleTab: false, now: NOW };
    for (const dm of [false, true]) {
      expect(onServer({ ...line, dm })).toEqual({ alert: false, push: false });
      expect(inBrowser({ ...line, dm })).toEqual({ alert: false, push: false });
    }
  });
});
