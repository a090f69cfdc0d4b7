// Values that break code which turns them back into text. Elysia outside production mode interpolates
// the offending value into its validation message: an object whose own `toString` is not a function,
// or an array nested 30,000 deep, threw there and answered 500. The app now runs Elysia in production
// mode whatever NODE_ENV says (src/production-env.ts). In production mode Elysia JSON.stringify()s the
// value instead, which for a 32,000-deep array took about a second of the event loop per request, so
// bodies nested deeper than 32 levels are refused before they are parsed (src/http/json-depth.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;
let user: TestUser;
let roomId: number;

beforeAll(async () => {
  app = await createTestApp();
  user = await createTestUser(app.deps);
  const created = await app.request("/api/rooms", { cookie: user.cookie, json: { kind: "public", name: "values" } });
  roomId = ((await created.json()) as { room: { id: number } }).room.id;
});
afterAll(() => app.close());

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

function send(method: string, path: string, body: string) {
  return app.request(path, { method, cookie: user.cookie, body, headers: { "content-type": "application/json" } });
}

describe("a field given a value that cannot be turned into text", () => {
  const cases: [string, string, (value: string) => string][] = [
    ["POST", "/api/rooms", (v) => `{"kind":"public","name":${v}}`],
    ["POST", "/api/rooms/ROOM/messages", (v) => `{"clientId":"${crypto.randomUUID()}","body":${v}}`],
    ["PATCH", "/api/account", (v) => `{"displayName":${v}}`],
    ["POST", "/api/dms", (v) => `{"userIds":${v}}`],
  ];
  const values: [string, string][] = [
    ["an object with its own toString", '{"toString":{"a":1}}'],
    ["an array holding such an object", '[{"toString":1,"valueOf":2}]'],
  ];
  for (const [method, path, bodyWith] of cases) {
    for (const [name, value] of values) {
      test(`${method} ${path} with ${name} gets 400 invalid_request`, async () => {
        const response = await send(method, path.replace("ROOM", String(roomId)), bodyWith(value));
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ error: "invalid_request", message: expect.stringContaining("is missing or invalid") });
      });
    }
  }
  for (const [method, path, bodyWith] of cases) {
    test(`${method} ${path} with an array nested 32,000 deep is refused unparsed: 400 invalid_body`, async () => {
      const response = await send(method, path.replace("ROOM", String(roomId)), bodyWith(deepArray(32_000)));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_body", message: "The request body is nested too deeply." });
    });
  }

  test("so is a deep body sent without logging in, to the login route", async () => {
    const body = `{"username":"someone","password":${deepArray(32_000)}}`;
    const response = await app.request("/api/auth/login", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(await response.json()).toEqual({ error: "invalid_body", message: "The request body is nested too deeply." });
  });

  test("nesting up to 32 levels is still read, and brackets inside strings do not count", async () => {
    const atLimit = await send("POST", "/api/dms", `{"userIds":${"[".repeat(31)}1${"]".repeat(31)}}`);
    expect(await atLimit.json()).toMatchObject({ error: "invalid_request" });
    const text = `${"[{".repeat(500)} \" ${"}]".repeat(500)}`;
    const posted = await send("POST", `/api/rooms/${roomId}/messages`, JSON.stringify({ clientId: crypto.randomUUID(), body: text }));
    expect(posted.status).toBe(201);
    expect(((await posted.json()) as { message: { body: string } }).message.body).toBe(text);
  });

  test("the app keeps serving afterwards", async () => {
    expect((await app.request("/api/health")).status).toBe(200);
  });
});
