import { describe, expect, test } from "bun:test";
import { isReservedName } from "../../src/accounts/reserved-names.ts";
import { normalizeDisplayName, normalizeUsername, usernameKey, usernameSkeleton } from "../../src/accounts/usernames.ts";
import { AppError } from "../../src/errors.ts";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("usernames", () => {
  test("are NFKC-normalised and compared case-insensitively", () => {
    const name = normalizeUsername("ＡｌｉｃＥ");
    expect(name.username).toBe("AlicE");
    expect(name.key).toBe("alice");
    expect(usernameKey("ALICE")).toBe("alice");
  });

  test("that look alike share a skeleton: Cyrillic, Greek, digits and case", () => {
    const paypal = normalizeUsername("paypal").skeleton;
    expect(normalizeUsername("pаypal").skeleton).toBe(paypal); // Cyrillic а
    expect(normalizeUsername("PAYPAL").skeleton).toBe(paypal);
    expect(normalizeUsername("bοb").skeleton).toBe(normalizeUsername("bob").skeleton); // Greek ο
    expect(normalizeUsername("b0b").skeleton).toBe(normalizeUsername("bob").skeleton);
    expect(normalizeUsername("Ian").skeleton).toBe(normalizeUsername("lan").skeleton);
    expect(normalizeUsername("rnary").skeleton).toBe(normalizeUsername("mary").skeleton);
    expect(normalizeUsername("alice").skeleton).not.toBe(normalizeUsername("alicia").skeleton);
  });

  test("combining accents are folded on Latin, Greek and Cyrillic letters (admi\u0307n is admin)", () => {
    const same = (a: string, b: string) => expect({ a, b, same: usernameSkeleton(a) === usernameSkeleton(b) }).toEqual({ a, b, same: true });
    same("admi\u0307n", "admin");
    same("Zoë", "Zoe");
    same("bo\u0307b", "bob");
    same("pa\u0301ypa\u0300l\u0323", "paypal");
    same("ѐlena", "elena"); // Cyrillic е with a grave
    same("άλφα", "αλφα");
  });

  test("marks that are vowels in their script are kept: different Devanagari words stay different", () => {
    expect(usernameSkeleton("कुमार")).not.toBe(usernameSkeleton("कमार"));
    expect(usernameSkeleton("कुमार")).toBe(usernameSkeleton("कुमार"));
  });

  test("case does not matter, capital I included: BILL is bill, ADMIN is admin, Ian is lan", () => {
    expect(usernameSkeleton("BILL")).toBe(usernameSkeleton("bill"));
    expect(usernameSkeleton("ADMIN")).toBe(usernameSkeleton("admin"));
    expect(usernameSkeleton("Ian")).toBe(usernameSkeleton("lan"));
    expect(usernameSkeleton("ВОВ")).toBe(usernameSkeleton("bob")); // Cyrillic capitals
  });

  test("refuse bidi overrides, zero-width and control characters", () => {
    for (const raw of ["ali\u202Ece", "ali\u200Bce", "ali\u200Dce", "\u2066alice\u2069", "ali\tce", "ali\u0000ce", "\uFEFFalice", "ali\u3164ce", "ali\u00ADce"]) {
      expect(codeOf(() => normalizeUsername(raw))).toBe("username_invisible_characters");
    }
  });

  test("have 3 to 32 characters after normalisation", () => {
    expect(codeOf(() => normalizeUsername("ab"))).toBe("username_length");
    expect(codeOf(() => normalizeUsername("a".repeat(33)))).toBe("username_length");
    expect(codeOf(() => normalizeUsername("a".repeat(100_000)))).toBe("username_length");
    expect(codeOf(() => normalizeUsername("a".repeat(32)))).toBe("accepted");
    // Characters, not UTF-16 units: 32 astral letters fit.
    expect(codeOf(() => normalizeUsername("𝒜".repeat(3)))).toBe("accepted");
  });

  test("allow letters, digits, dots, underscores and hyphens, starting with a letter or digit", () => {
    for (const ok of ["alice", "Zoë", "jean-luc", "ana.maria", "x_y_z", "42nd", "हिन्दी", "名前です"]) {
      expect(codeOf(() => normalizeUsername(ok))).toBe("accepted");
    }
    for (const bad of ["with space", "emoji😀", "_lead", ".dot", "-dash", "semi;colon", "at@sign", "sla/sh"]) {
      expect(codeOf(() => normalizeUsername(bad))).toBe("username_characters");
    }
  });
});

describe("reserved names", () => {
  test("the system's and staff's names, their look-alikes and spellings with punctuation", () => {
    for (const name of ["admin", "ADMIN", "Admin", "аdmin", "a.d.m.i.n", "Administrator", "root", "System", "SYSTEM", "vaultroom", "Support",
      "moderator", "Modérateur", "mod", "staff", "security", "postmaster", "noreply", "no-reply", "everyone"]) {
      expect({ name, reserved: isReservedName(name) }).toEqual({ name, reserved: true });
    }
  });

  test("what deleted accounts are called and shown as", () => {
    for (const name of ["deleted-9", "deleted_user", "Deleted User", "deleted", "DELETED-12", "de1eted-3", "utilisateur supprimé"]) {
      expect({ name, reserved: isReservedName(name) }).toEqual({ name, reserved: true });
    }
  });

  test("ordinary names, including ones that contain a reserved word", () => {
    for (const name of ["alice", "admin_team_fan", "Rooted", "systematic", "supporter", "modesty", "Delia", "Bob Marley"]) {
      expect({ name, reserved: isReservedName(name) }).toEqual({ name, reserved: false });
    }
  });
});

describe("display names", () => {
  test("made only of blank-looking characters clear the display name", () => {
    expect(normalizeDisplayName("\u2800\u2800")).toBeNull();
    expect(codeOf(() => normalizeDisplayName("\u3164"))).toBe("display_name_invisible_characters");
  });

  test("are optional, trimmed, with runs of spaces collapsed", () => {
    expect(normalizeDisplayName(undefined)).toBeNull();
    expect(normalizeDisplayName("   ")).toBeNull();
    expect(normalizeDisplayName("  Alice   Liddell ")).toBe("Alice Liddell");
  });

  test("have at most 64 characters and no invisible ones", () => {
    expect(normalizeDisplayName("é".repeat(64))).toHaveLength(64);
    expect(codeOf(() => normalizeDisplayName("a".repeat(65)))).toBe("display_name_length");
    expect(codeOf(() => normalizeDisplayName("Admin\u202E"))).toBe("display_name_invisible_characters");
    expect(codeOf(() => normalizeDisplayName("Ad\u200Bmin"))).toBe("display_name_invisible_characters");
    expect(codeOf(() => normalizeDisplayName("line\nbreak"))).toBe("display_name_invisible_characters");
  });
});
