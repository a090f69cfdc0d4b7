// How the web client names people: the server's deleted flag, never a name pattern; @username beside
// names that read like another person's; an avatar colour from the id.
import { describe, expect, test } from "bun:test";
import { avatarColour } from "../../web/src/chat/avatar-colour.ts";
import { needingHandles, readsAs } from "../../web/src/chat/name-lookalikes.ts";
import { displayNameOf } from "../../web/src/chat/names.ts";
import { addPeople } from "../../web/src/chat/state-updates.ts";
import type { UserRef } from "../../src/protocol.ts";

const user = (id: number, username: string, displayName: string | null = null, deleted = false): UserRef => ({
  id,
  username,
  displayName,
  ...(deleted ? { deleted: true as const } : {}),
});

describe("deleted accounts", () => {
  test("are named from the server's flag, not from a deleted- username", () => {
    expect(displayNameOf(user(9, "deleted-9", null, true))).toBe("deleted user");
    expect(displayNameOf(user(5, "deleted-9"))).toBe("deleted-9");
  });

  test("the people list keeps the flag", () => {
    const people = addPeople({}, [user(9, "deleted-9", null, true)]);
    expect(people[9]).toEqual(user(9, "deleted-9", null, true));
  });
});

describe("@username beside names that read alike", () => {
  const handles = (people: UserRef[]) => [...needingHandles(people, displayNameOf)].sort((a, b) => a - b);

  test("two people with the same display name, in any case or accent, both get it", () => {
    expect(handles([user(1, "alice", "Sam"), user(2, "bob", "sam"), user(3, "carol")])).toEqual([1, 2]);
    expect(handles([user(1, "alice", "Zoé"), user(2, "bob", "ZOE")])).toEqual([1, 2]);
  });

  test("a display name that reads as someone else's username", () => {
    expect(handles([user(1, "paypal"), user(2, "mallory", "PayPaI")])).toEqual([1, 2]);
    expect(handles([user(1, "paypal"), user(2, "mallory", "pаypal" /* Cyrillic а */)])).toEqual([1, 2]);
  });

  test("one's own username as display name needs nothing; unique names need nothing", () => {
    expect(handles([user(1, "sam", "Sam"), user(2, "alice", "Alice Liddell"), user(3, "bob")])).toEqual([]);
  });

  test("a name mixing Latin with Cyrillic or Greek always gets it", () => {
    expect(handles([user(1, "x1", "Аlice" /* Cyrillic А */)])).toEqual([1]);
  });

  test("deleted accounts are never given one", () => {
    expect(handles([user(1, "deleted-1", null, true), user(2, "deleted-2", null, true)])).toEqual([]);
  });

  test("reading folds what a reader cannot tell apart", () => {
    expect(readsAs("PayPal")).toBe(readsAs("paypaI"));
    expect(readsAs("Jean-Luc")).toBe(readsAs("jean luc"));
    expect(readsAs("rnary")).toBe(readsAs("mary"));
  });
});

describe("avatar colours", () => {
  test("come from the id: the same id always gets the same colour", () => {
    expect(avatarColour(7)).toBe(avatarColour(7));
    expect(avatarColour(7)).toMatch(/^oklch\(0\.\d+ 0\.13 \d+(\.\d)?\)$/);
  });

  test("no two of the first 143 ids share a lightness with hues closer than 3 degrees", () => {
    const parse = (colour: string) => colour.slice(6, -1).split(" ").map(Number) as [number, number, number];
    const close: string[] = [];
    for (let a = 1; a <= 143; a++) {
      for (let b = a + 1; b <= 143; b++) {
        const [la, , ha] = parse(avatarColour(a));
        const [lb, , hb] = parse(avatarColour(b));
        const apart = Math.min(Math.abs(ha - hb), 360 - Math.abs(ha - hb));
        if (la === lb && apart < 3) close.push(`${a}/${b}`);
      }
    }
    expect(close).toEqual([]);
  });

  test("a deleted account's avatar is grey", () => {
    expect(avatarColour(3, true)).toBe("oklch(0.5 0 0)");
  });
});
