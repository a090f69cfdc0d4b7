// Existing data when the skeleton changes (issue 21, §6: accents are now folded, and i with l):
// stored skeletons are recomputed once when accounts are next built, display names get theirs, and
// an account whose new skeleton is already someone else's keeps its old one (and its name).
import { expect, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import { SKELETON_VERSION } from "../../src/accounts/skeleton.ts";
import { register } from "../../src/accounts/registration.ts";
import { AppError } from "../../src/http/errors.ts";
import { createTestApp } from "../support/app.ts";
import { accountsOf } from "./accounts-helpers.ts";

test("skeletons stored by the old rule are recomputed at start-up; a clash keeps the newer account's old one", async () => {
  const first = createTestApp();
  const db = first.deps.db;
  // What the previous skeleton (accents kept, no i/l fold) stored, and no display skeletons.
  const insert = db.query(
    `INSERT INTO users (username, username_key, skeleton, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, '', 0) RETURNING id`,
  );
  const admin = insert.get("admin", "admin", "adrnin", null) as { id: number };
  const dotted = insert.get("admi\u0307n".normalize("NFKC"), "admi\u0307n".normalize("NFKC"), "adrni\u0307n", null) as { id: number };
  const zoe = insert.get("Zoë", "zoë", "zoe\u0308", "Bob") as { id: number };
  db.query("DELETE FROM settings WHERE key = 'name_skeleton_version'").run();

  const warnings: string[] = [];
  const logger = { info() {}, error() {}, warn: (event: string, fields?: object) => warnings.push(JSON.stringify({ event, ...fields })) };
  const second = { ...first, app: createApp({ ...first.deps, logger }) };
  try {
    const row = (id: number) => db.query("SELECT skeleton, display_skeleton AS display FROM users WHERE id = ?").get(id);
    expect(row(admin.id)).toEqual({ skeleton: "adrnln", display: null });
    // Folded it would be admin's: the newer account keeps what it had, and its name.
    expect(row(dotted.id)).toEqual({ skeleton: "adrni\u0307n", display: null });
    expect(row(zoe.id)).toEqual({ skeleton: "zoe", display: "bob" });
    expect(db.query("SELECT value FROM settings WHERE key = 'name_skeleton_version'").get()).toEqual({ value: String(SKELETON_VERSION) });
    expect(warnings).toEqual([JSON.stringify({ event: "name_skeleton_clash", accounts: String(dotted.id), count: 1 })]);

    // The recomputed skeletons are what new names are checked against now.
    const attempt = (username: string, displayName?: string) =>
      register(accountsOf(second), { username, password: "correct horse battery staple", displayName }, { ip: `10.1.0.${Math.random() * 250}`, userAgent: "t" }).then(
        () => "registered",
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );
    expect(await attempt("Zoe")).toBe("username_confusable");
    expect(await attempt("bobby", "BOB")).toBe("display_name_confusable");

    // A second start finds the version current and changes nothing.
    db.query("UPDATE users SET skeleton = 'untouched' WHERE id = ?").run(zoe.id);
    createApp({ ...first.deps, logger });
    expect(row(zoe.id)).toEqual({ skeleton: "untouched", display: "bob" });
  } finally {
    first.close();
  }
});
