// The web side of search: matched ranges cut into text segments (marked with DOM nodes, never
// HTML), long bodies cut to a window around the first match, the query's filters as chips, and a
// timeline opened around an older message (a search result) that does not reach the present.
import { describe, expect, test } from "bun:test";
import { excerpt, segments } from "../../../web/src/search/segments.ts";
import { filterChips, findFilter, textOf, withFilter, withoutFilter } from "../../../web/src/search/query-chips.ts";
import { applyEvent, emptyState } from "../../../web/src/chat/state.ts";
import type { Me, Message, Room, UserRef } from "../../../src/protocol.ts";

describe("segments", () => {
  test("cuts the text at the matched ranges, in order", () => {
    expect(segments("deploy the deploy key", [[0, 6], [11, 17]])).toEqual([
      { text: "deploy", match: true },
      { text: " the ", match: false },
      { text: "deploy", match: true },
      { text: " key", match: false },
    ]);
  });

  test("ranges out of order, overlapping, empty, outside the text or not integers are ignored; the text stays whole", () => {
    const text = "<b>hello</b> world";
    const parts = segments(text, [[3, 8], [5, 9], [8, 8], [12, 99], [1.5, 2], [-1, 2], [13, 18]]);
    expect(parts.map((p) => p.text).join("")).toBe(text);
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(["hello", "world"]);
  });

  test("no ranges: one plain segment", () => {
    expect(segments("plain", [])).toEqual([{ text: "plain", match: false }]);
  });
});

describe("excerpt", () => {
  test("a short body is kept whole", () => {
    expect(excerpt("short body", [[0, 5]])).toEqual({ text: "short body", ranges: [[0, 5]] });
  });

  test("a long body is cut around its first match, with the ranges moved along", () => {
    const body = `${"a".repeat(500)} needle ${"b".repeat(500)}`;
    const at = body.indexOf("needle");
    const cut = excerpt(body, [[at, at + 6]], 100);
    expect(cut.text.startsWith("…")).toBe(true);
    expect(cut.text.endsWith("…")).toBe(true);
    const [[start, end]] = cut.ranges as [[number, number]];
    expect(cut.text.slice(start, end)).toBe("needle");
  });

  test("never splits a surrogate pair", () => {
    const body = "😀".repeat(300);
    const cut = excerpt(body, [[200, 202]], 101);
    expect(cut.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe("filter chips", () => {
  test("filters are found with their values; excluded words and plain words are not filters", () => {
    const chips = filterChips('deploy from:@bob in:"my room" has:file -from:carol before:2026-11-01');
    expect(chips.map((c) => [c.kind, c.value])).toEqual([
      ["from", "bob"],
      ["in", "my room"],
      ["has", "file"],
      ["before", "2026-11-01"],
    ]);
  });

  test("typographic and French quotes hold a value too, as the server reads them (issue 19)", () => {
    const query = "deploy from:\u00ab\u00a0Bob Martin\u00a0\u00bb in:\u201cmy room\u201d HAS:File";
    expect(filterChips(query).map((c) => [c.kind, c.value])).toEqual([
      ["from", "Bob Martin"],
      ["in", "my room"],
      ["has", "File"],
    ]);
    // A has:file typed by hand is the one the "With files" button would add.
    expect(findFilter(query, "has", "file")?.token).toBe("HAS:File");
    expect(textOf(query)).toBe("deploy");
  });

  test("a chip removed leaves the rest of the query; one added is quoted when it has spaces and not doubled", () => {
    const query = "deploy from:bob key";
    const [chip] = filterChips(query);
    expect(withoutFilter(query, chip!)).toBe("deploy key");
    expect(withFilter("deploy", "in", "my room")).toBe('deploy in:"my room"');
    expect(withFilter("deploy has:file", "has", "FILE")).toBe("deploy has:file");
    expect(textOf('deploy in:"my room" key')).toBe("deploy key");
  });
});

describe("a timeline opened around an older message", () => {
  const me: Me = { id: 1, username: "alice", displayName: null, isAdmin: false };
  const bob: UserRef = { id: 2, username: "bob", displayName: null };
  const room: Room = {
    id: 10, kind: "public", name: "design", topic: "", createdBy: 1, createdAt: 0, archivedAt: null, participants: [],
    memberCount: 2, role: "member", lastMessageId: 0, lastMessageAt: null, lastReadId: 0, unread: 0, mentions: 0, pinPolicy: "members",
    notify: { level: null, mutedUntil: null },
  };
  const message = (id: number): Message => ({ id, roomId: 10, author: bob, clientId: `c${id}`, body: `m${id}`, createdAt: id * 1000, mentions: [] });
  const ready = applyEvent(emptyState(), { type: "ready", user: me, rooms: [room], changeSeq: 1, notifications: { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true } });
  // The page around a message (GET /api/rooms/:id/messages?around=, or the socket's history), newest first.
  const windowed = applyEvent(ready, { type: "local.around", roomId: 10, messages: [message(42), message(41), message(40)], hasMore: true, hasNewer: true });

  test("replaces the room's timeline and remembers that newer messages exist", () => {
    expect(windowed.timelines[10]).toEqual({ messages: [message(40), message(41), message(42)], hasOlder: true, hasNewer: true });
  });

  test("a new message is not appended across the gap, but still counts for the room", () => {
    const next = applyEvent(windowed, { type: "message.created", message: message(99) });
    expect(next.timelines[10]!.messages.map((m) => m.id)).toEqual([40, 41, 42]);
    expect(next.rooms[10]!.lastMessageId).toBe(99);
  });

  test("newer pages close the gap; once the present is reached new messages are appended again", () => {
    let next = applyEvent(windowed, { type: "local.newer", roomId: 10, messages: [message(44), message(43)], hasNewer: false });
    expect(next.timelines[10]!.hasNewer).toBe(false);
    next = applyEvent(next, { type: "message.created", message: message(45) });
    expect(next.timelines[10]!.messages.map((m) => m.id)).toEqual([40, 41, 42, 43, 44, 45]);
  });

  test("older history loaded into it keeps it before the present", () => {
    const next = applyEvent(windowed, { type: "local.history", roomId: 10, messages: [message(39), message(38)], hasMore: false });
    expect(next.timelines[10]).toMatchObject({ hasOlder: false, hasNewer: true });
    expect(next.timelines[10]!.messages.map((m) => m.id)).toEqual([38, 39, 40, 41, 42]);
  });

  test("dropping it forgets the timeline, so the room reloads from its newest page", () => {
    expect(applyEvent(windowed, { type: "local.dropTimeline", roomId: 10 }).timelines[10]).toBeUndefined();
  });
});
