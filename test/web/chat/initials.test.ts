// One person, the same initials at every avatar size (issue 19: "B" in the sidebar, "BM" in messages).
import { expect, test } from "bun:test";
import { initialsOf } from "../../../web/src/chat/initials.ts";

test("two words give their first letters, one word its first two characters, whole characters only", () => {
  expect(initialsOf({ username: "bob", displayName: "Bob Martin" })).toBe("BM");
  expect(initialsOf({ username: "jean-luc", displayName: null })).toBe("jl");
  expect(initialsOf({ username: "bob", displayName: null })).toBe("bo");
  expect(initialsOf({ username: "e", displayName: "Élodie 🌻 Durand" })).toBe("É🌻");
  expect(initialsOf({ username: "x", displayName: "🌻" })).toBe("🌻");
});
