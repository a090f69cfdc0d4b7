// A shorter retention is confirmed with what it deletes; a longer one, or forever, is not (issue 19).
import { expect, test } from "bun:test";
import { retentionLoss, roomRetentionLoss } from "../../../web/src/dashboard/retention-loss.ts";

const forever = { messageDays: null, fileDays: null };

test("a new or shorter limit says what goes; a longer one or forever says nothing", () => {
  expect(retentionLoss(forever, { messageDays: 30, fileDays: null })).toBe(
    "Messages older than 30 days will be deleted, in every room without its own setting. This cannot be undone.",
  );
  expect(retentionLoss({ messageDays: 90, fileDays: 30 }, { messageDays: 90, fileDays: 1 })).toBe(
    "Files older than 1 day will be deleted (their messages stay). This cannot be undone.",
  );
  expect(retentionLoss({ messageDays: 30, fileDays: 30 }, { messageDays: 60, fileDays: null })).toBeNull();
  expect(retentionLoss({ messageDays: 30, fileDays: null }, forever)).toBeNull();
});

test("a room: its own limit, the server's it follows, or disappearing messages, whichever deletes soonest", () => {
  const room = (retentionDays: number | null, disappearHours: number | null, serverDays: number | null = null) => ({ retentionDays, disappearHours, serverDays });
  expect(roomRetentionLoss(room(null, null), room(7, null))).toBe("Messages older than 7 days will be deleted in this room. This cannot be undone.");
  expect(roomRetentionLoss(room(null, null, 30), room(60, null, 30))).toBeNull();
  expect(roomRetentionLoss(room(null, null, 30), room(7, null, 30))).toStartWith("Messages older than 7 days");
  expect(roomRetentionLoss(room(7, null), room(7, 1))).toStartWith("Messages older than 1 hour will be deleted in this room, and from now on");
  expect(roomRetentionLoss(room(7, 1), room(7, null))).toBeNull();
});
