// Message grouping: runs by one author on one day, day dividers, and the unread divider.
import { describe, expect, test } from "bun:test";
import { dayOf, GROUP_GAP_MS, groupTimeline, timelineMarks, type GroupableMessage } from "../../../web/src/chat/grouping.ts";

const day1 = new Date(2026, 2, 14, 9, 0).getTime();
const day2 = new Date(2026, 2, 15, 9, 0).getTime();
const minute = 60_000;

function m(id: number | null, authorId: number, createdAt: number): GroupableMessage {
  return { id, key: `k${id ?? "p" + createdAt}`, authorId, createdAt };
}

const shape = (rows: ReturnType<typeof groupTimeline>) =>
  rows.map((row) => (row.kind === "group" ? `${row.authorId}:${row.messages.map((x) => x.id ?? "p").join(",")}` : row.kind));

describe("groupTimeline", () => {
  test("consecutive messages by one author on one day form one group", () => {
    const rows = groupTimeline([m(1, 1, day1), m(2, 1, day1 + minute), m(3, 2, day1 + 2 * minute), m(4, 1, day1 + 3 * minute)], { lastReadId: null, me: 1 });
    expect(shape(rows)).toEqual(["day", "1:1,2", "2:3", "1:4"]);
  });

  test("a new day starts a divider and a new group, even for the same author", () => {
    const rows = groupTimeline([m(1, 1, day1), m(2, 1, day2)], { lastReadId: null, me: 1 });
    expect(shape(rows)).toEqual(["day", "1:1", "day", "1:2"]);
    expect(rows[0]).toMatchObject({ kind: "day", day: dayOf(day1) });
  });

  test("a long pause starts a new group", () => {
    const rows = groupTimeline([m(1, 1, day1), m(2, 1, day1 + GROUP_GAP_MS + 1)], { lastReadId: null, me: 1 });
    expect(shape(rows)).toEqual(["day", "1:1", "1:2"]);
  });

  test("the unread divider goes before the first newer message by someone else", () => {
    const rows = groupTimeline([m(1, 2, day1), m(2, 1, day1 + 1), m(3, 2, day1 + 2), m(4, 2, day1 + 3)], { lastReadId: 1, me: 1 });
    expect(shape(rows)).toEqual(["day", "2:1", "1:2", "unread", "2:3,4"]);
  });

  test("no unread divider when everything is read, or for my own messages", () => {
    expect(shape(groupTimeline([m(1, 2, day1), m(2, 1, day1 + 1)], { lastReadId: 1, me: 1 }))).toEqual(["day", "2:1", "1:2"]);
    expect(shape(groupTimeline([m(1, 2, day1)], { lastReadId: null, me: 1 }))).toEqual(["day", "2:1"]);
  });

  test("pending messages (no id yet) join my group and are never unread", () => {
    const rows = groupTimeline([m(1, 1, day1), m(null, 1, day1 + 1)], { lastReadId: 0, me: 1 });
    expect(shape(rows)).toEqual(["day", "1:1,p"]);
  });
});

describe("timelineMarks", () => {
  test("marks say what to draw before each message", () => {
    const messages = [m(1, 2, day1), m(2, 2, day1 + 1), m(3, 2, day2)];
    const marks = timelineMarks(messages, { lastReadId: 1, me: 1 });
    expect(marks.get("k1")).toEqual({ day: dayOf(day1), unread: false, first: true });
    expect(marks.get("k2")).toEqual({ day: null, unread: true, first: true });
    expect(marks.get("k3")).toEqual({ day: dayOf(day2), unread: false, first: true });
  });
});
