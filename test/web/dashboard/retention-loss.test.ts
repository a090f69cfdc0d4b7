// A shorter retention is confirmed with what it deletes; a longer one, or forever, is not (issue 19).
import { expect, test } from "bun:test";
import { retentionLoss } from "../../../web/src/dashboard/retention-loss.ts";

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
