// Existing data when the skeleton changes (issue 21, §6: accents are now folded, and i with l):
// stored skeletons are recomputed once when the server next starts, display names get theirs, and
// an account whose new skeleton is already someone else's keeps its old one (and its name).
import { expect, test } from "bun:test";
import { refreshNameSkeletons } from "../../src/accounts/name-skeletons.ts";
import { SKELETON_VERSION } from "../../src/accounts/skeleton.ts";
import { register } from "../../src/accounts/registration.ts";
import { AppError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { createTestApp } from "../support/app.ts";
import { accountsOf } from "./accounts-helpers.ts";

test("skeletons stored by the old rule are recomputed at start-up; a clash keeps the newer account's old one", async () => {
  const app = await createTestApp();
  const { sql, store } = app;
  // What the previous skeleton (accents kept, no i/l fold) stored, and no display skeletons.
  const insert = async (username: string, key: string, skeleton: string, displayName: string | null) =>
    (
      await sql.write<{ id: number }>(
        `INSERT INTO users (username, username_key, skeleton, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, '', 0) RETURNING id`,
        username,
        key,
        skeleton,
        displayName,
      )
    )[0]!;
  const admin = await insert("admin", "admin", "adrnin", null);
  const dotted = await insert("admi\u0307n".normalize("NFKC"), "admi\u0307n".normalize("NFKC"), "adrni\u0307n", null);
  const zoe = await insert("Zoë", "zoë", "zoe\u0308", "Bob");
  await sql.run("DELETE FROM settings WHERE key = 'name_skeleton_version'");

  const warnings: string[] = [];
  const logger: Logger = { info() {}, error() {}, warn: (event, fields) => void warnings.push(JSON.stringify({ event, ...fields })) };
  try {
    // What server.ts (and the CLI) run when they open the database.
    await refreshNameSkeletons(store, logger);
    const row = (id: number) => sql.get(`SELECT skeleton, display_skeleton AS display FROM users WHERE id = ?`, id);
    expect(await row(admin.id)).toEqual({ skeleton: "adrnln", display: null });
    // Folded it would be admin's: the newer account keeps what it had, and its name.
    expect(await row(dotted.id)).toEqual({ skeleton: "adrni\u0307n", display: null });
    expect(await row(zoe.id)).toEqual({ skeleton: "zoe", display: "bob" });
    expect(await sql.get("SELECT value FROM settings WHERE key = 'name_skeleton_version'")).toEqual({ value: String(SKELETON_VERSION) });
    expect(warnings).toEqual([JSON.stringify({ event: "name_skeleton_clash", accounts: String(dotted.id), count: 1 })]);

    // The recomputed skeletons are what new names are checked against now.
    const attempt = (username: string, displayName?: string) =>
      register(accountsOf(app), { username, password: "correct horse battery staple", displayName }, { ip: `10.1.0.${Math.floor(Math.random() * 250)}`, userAgent: "t" }).then(
        () => "registered",
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );
    expect(await attempt("Zoe")).toBe("username_confusable");
    expect(await attempt("bobby", "BOB")).toBe("display_name_confusable");

    // A second start finds the version current and changes nothing.
    await sql.run("UPDATE users SET skeleton = 'untouched' WHERE id = ?", zoe.id);
    await refreshNameSkeletons(store, logger);
    expect(await row(zoe.id)).toEqual({ skeleton: "untouched", display: "bob" });
  } finally {
    await app.close();
  }
});
