// The audit log's "About" in names, with a labelled number once the thing is gone, and what a
// retention change changed (issue 19).
import { expect, test } from "bun:test";
import { aboutText, retentionChange } from "../../../web/src/dashboard/audit-text.ts";

test("a reference reads as a name, or as a labelled number once gone; any other target as it is", () => {
  expect(aboutText({ target: "user:12", about: { kind: "user", id: 12, name: "alice" } })).toBe("@alice");
  expect(aboutText({ target: "user:12", about: { kind: "user", id: 12, name: null } })).toBe("user #12");
  expect(aboutText({ target: "room:5", about: { kind: "room", id: 5, name: null, dm: true } })).toBe("direct conversation #5");
  expect(aboutText({ target: "message:340", about: { kind: "message", id: 340, name: null, roomId: 5, roomName: "general" } })).toBe("message #340 in #general");
  expect(aboutText({ target: "message:341", about: { kind: "message", id: 341, name: null } })).toBe("message #341");
  expect(aboutText({ target: "server", about: undefined })).toBe("server");
});

test("a retention change says each changed limit's old and new value; an entry from before says the new one", () => {
  expect(retentionChange({ messageDays: 30, fileDays: null, previousMessageDays: 90, previousFileDays: null })).toEqual(["Messages: 90 days → 30 days"]);
  expect(retentionChange({ retentionDays: 1, disappearHours: 24, previousRetentionDays: null, previousDisappearHours: null })).toEqual([
    "Messages: forever → 1 day",
    "Disappearing messages: off → 24 hours",
  ]);
  expect(retentionChange({ messageDays: 30, fileDays: null })).toEqual(["Messages: 30 days", "Files: forever"]);
});
