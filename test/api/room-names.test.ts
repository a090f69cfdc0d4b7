// Room names are shown everywhere; they may not disguise what they say.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;
let owner: TestUser;
beforeAll(async () => {
  app = await createTestApp();
  owner = await createTestUser(app.deps);
}, 30_000);
afterAll(() => app.close());

const create = (name: string, topic = "") =>
  app.request("/api/rooms", { json: { kind: "public", name, topic }, cookie: owner.cookie });

test("a room name with a right-to-left override or an invisible character is refused with a clear message", async () => {
  for (const name of ["invoice\u202Egnp.exe", "ad\u200Bmins", "\u2066team\u2069", "b\uFEFFom"]) {
    const response = await create(name);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request", message: expect.stringContaining("direction-changing") });
  }
});

test("emoji sequences joined by zero-width joiners stay allowed in names", async () => {
  const response = await create("👩‍💻 devs");
  expect(response.status).toBe(201);
  expect(((await response.json()) as { room: { name: string } }).room.name).toBe("👩‍💻 devs");
});

test("a topic keeps such characters as typed (the client shows them as visible markers)", async () => {
  const response = await create("reports", "see \u202Efdp.exe");
  expect(response.status).toBe(201);
  expect(((await response.json()) as { room: { topic: string } }).room.topic).toBe("see \u202Efdp.exe");
});
