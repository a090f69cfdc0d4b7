import { expect, test } from "bun:test";
import { exactPerson } from "../../../web/src/chat/exact-person.ts";
import type { UserRef } from "../../../web/src/chat/protocol.ts";

const person = (id: number, username: string, displayName: string | null = null) => ({ id, username, displayName }) as UserRef;
const people = [person(1, "bob", "Bob Martin"), person(2, "bobby"), person(3, "ann", "Ann Lee"), person(4, "anne", "Ann Lee")];

test("a typed username names its person, with or without @ and in any case", () => {
  expect(exactPerson(people, "bob")?.id).toBe(1);
  expect(exactPerson(people, " @BOBBY ")?.id).toBe(2);
});

test("a display name names its person only when nobody else shares it", () => {
  expect(exactPerson(people, "bob martin")?.id).toBe(1);
  expect(exactPerson(people, "Ann Lee")).toBeUndefined();
});

test("a prefix or an empty search names nobody", () => {
  expect(exactPerson(people, "bo")).toBeUndefined();
  expect(exactPerson(people, "  ")).toBeUndefined();
});
