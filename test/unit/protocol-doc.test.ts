// docs/PROTOCOL.md describes every socket frame: each request type the server validates and each
// event type it can send has its own heading. A frame added to src/protocol.ts without a line in
// the document fails here (events: the list below fails to compile until it names every type).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerEvent } from "../../src/protocol.ts";
import { requestTypes } from "../../src/ws/schemas.ts";

const doc = readFileSync(join(import.meta.dir, "../../docs/PROTOCOL.md"), "utf8");
const headings = new Set([...doc.matchAll(/^### `([a-z.]+)`$/gm)].map((m) => m[1]));

const EVENT_TYPES = [
  "ready", "ack", "error", "message.created", "message.updated", "message.deleted", "messages.deleted", "room.added", "room.removed",
  "room.updated", "member.joined", "member.left", "presence.changed", "user.updated", "typing", "read.updated",
  "reaction.changed", "message.pinned", "message.unpinned", "thread.updated",
  // Mentions and notifications (issue 12); consent (issue 21 §4).
  "mention.added", "room.notify", "notifications.updated", "push.changed", "request.added", "request.removed",
] as const satisfies readonly ServerEvent["type"][];
type Unlisted = Exclude<ServerEvent["type"], (typeof EVENT_TYPES)[number]>;
const everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyEventListed;

describe("docs/PROTOCOL.md", () => {
  test("has a section for every request type the server accepts", () => {
    const missing = requestTypes.filter((type) => !headings.has(type));
    expect(missing).toEqual([]);
  });
  test("has a section for every event type the server sends", () => {
    expect(EVENT_TYPES.filter((type) => !headings.has(type))).toEqual([]);
  });
});
