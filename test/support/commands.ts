// Commands the test files use to set up state straight in the database. They live in a support module
// (not in the test files) because the SQLite writer thread must import them to know them by name
// (test/support/app.ts passes this module to it).
import { settings } from "../../src/accounts/settings.ts";
import { users } from "../../src/accounts/users.ts";
import type { RegistrationMode } from "../../src/accounts/types.ts";
import { sql } from "../../src/db/query.ts";
import { command } from "../../src/db/store.ts";

const insertRoom = sql<{ id: number }, [string]>("INSERT INTO rooms (kind, name, created_at) VALUES ('public', ?, 0) RETURNING id");
const insertMember = sql<never, [number, number]>("INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, 0)");

/** Rooms straight in the database, in one transaction: `count` the user is a member of, and one more. */
export const fillRooms = command("test.fillRooms", async (tx, input: { userId: number; count: number }) => {
  for (let i = 0; i < input.count; i++) await tx.run(insertMember, (await tx.get(insertRoom, `filler ${i}`))!.id, input.userId);
  return (await tx.get(insertRoom, "one more"))!.id;
});

/** Sets the registration mode straight in the settings table, as an operator's earlier choice would have. */
export const storeRegistrationMode = command("test.setRegistrationMode", (tx, mode: RegistrationMode) => settings.set(tx, "registration_mode", mode));

/** Holds the writer (and its transaction) for `ms`: a slow disk, for the writer-thread tests. */
export const stallWriter = command("test.stallWriter", async (_tx, ms: number) => {
  Bun.sleepSync(ms);
  return ms;
});

/** Ends the thread that runs it mid-transaction: a crashed writer, for the writer-thread tests. */
export const crashWriter = command("test.crashWriter", async () => {
  process.exit(70);
});

const repair = {
  clearMustChange: sql<never, [number]>("UPDATE users SET must_change_password = 0 WHERE id != ?"),
  rejoin: sql<never, [number, number, number]>(
    "INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?) ON CONFLICT DO NOTHING",
  ),
  unarchive: sql<never, [number]>("UPDATE rooms SET archived_at = NULL WHERE id = ?"),
};

/** test/fuzz/http-routes.ts: the fixture's accounts, memberships and room put back as createFixture left them, in one transaction. */
export const repairFuzzFixture = command(
  "test.repairFixture",
  async (tx, input: { adminId: number; victimId: number; userIds: number[]; roomId: number; spareRoomId: number; now: number }) => {
    // A fuzzed run may have made the victim an admin and then let the admin demote itself; and any admin
    // run may have ended every other admin session ("revoke-others"). Start from a known admin.
    await users.setAdmin(tx, input.adminId, true);
    await users.setDisabled(tx, input.adminId, false);
    await users.setAdmin(tx, input.victimId, false);
    // A fuzzed id may have hit a pool user with a disable or a password reset.
    for (const userId of input.userIds) await users.setDisabled(tx, userId, false);
    await tx.run(repair.clearMustChange, input.victimId);
    // Memberships and the archive flag are restored in the database: done over HTTP for 48 routes, these
    // repairs alone would spend the per-user action bucket (joins, leaves, room changes) the fuzzing uses.
    for (const userId of input.userIds) {
      await tx.run(repair.rejoin, input.roomId, userId, input.now);
      await tx.run(repair.rejoin, input.spareRoomId, userId, input.now);
    }
    await tx.run(repair.rejoin, input.roomId, input.adminId, input.now);
    await tx.run(repair.unarchive, input.roomId);
  },
);
