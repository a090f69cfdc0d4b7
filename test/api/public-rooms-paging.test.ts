// The public room directory in pages: by name, after a cursor, filtered by name on the server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_PUBLIC_ROOMS_LIMIT, type PublicRoomPage, type Room } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;
let owner: TestUser, reader: TestUser;
const byName = new Map<string, number>();

const NAMES = ["Zebra", "apple", "Mango 100%", "Mango_b", "Banana", "cherry", "Mangos", "date"];

beforeAll(async () => {
  app = await createTestApp();
  [owner, reader] = await Promise.all([createTestUser(app.deps), createTestUser(app.deps)]);
  for (const name of [...NAMES, "archived one", "secret"]) {
    const kind = name === "secret" ? "private" : "public";
    const res = await app.request("/api/rooms", { json: { kind, name }, cookie: owner.cookie });
    byName.set(name, ((await res.json()) as { room: Room }).room.id);
  }
  await app.request(`/api/rooms/${byName.get("archived one")}`, { method: "PATCH", json: { archived: true }, cookie: owner.cookie });
}, 30_000);
afterAll(() => app.close());

async function page(query: string): Promise<{ status: number; body: PublicRoomPage & { error?: string } }> {
  const res = await app.request(`/api/rooms/public${query}`, { cookie: reader.cookie });
  return { status: res.status, body: (await res.json()) as PublicRoomPage & { error?: string } };
}

describe("GET /api/rooms/public", () => {
  test("without parameters answers every room of a small directory and no next page", async () => {
    const { status, body } = await page("");
    expect(status).toBe(200);
    expect(body.nextAfter).toBeNull();
    expect(body.rooms.map((r) => r.name)).toEqual([...NAMES].sort());
    expect(body.rooms.length).toBeLessThanOrEqual(DEFAULT_PUBLIC_ROOMS_LIMIT);
    expect(body.rooms[0]).toMatchObject({ joined: false, memberCount: 1 });
  });

  test("walks the whole directory in pages by name, each room once, archived and private rooms never", async () => {
    const seen: string[] = [];
    let after: number | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const { body }: { body: PublicRoomPage } = await page(`?limit=3${after === null ? "" : `&after=${after}`}`);
      expect(body.rooms.length).toBeLessThanOrEqual(3);
      seen.push(...body.rooms.map((r) => r.name));
      after = body.nextAfter;
      if (after === null) break;
      expect(after).toBe(body.rooms[body.rooms.length - 1]!.id);
    }
    expect(after).toBeNull();
    expect(seen).toEqual([...NAMES].sort());
  });

  test("filters by name on the server, case-insensitively, with % and _ taken literally", async () => {
    expect((await page("?query=MANGO")).body.rooms.map((r) => r.name)).toEqual(["Mango 100%", "Mango_b", "Mangos"]);
    expect((await page("?query=%25")).body.rooms.map((r) => r.name)).toEqual(["Mango 100%"]);
    expect((await page("?query=o_")).body.rooms.map((r) => r.name)).toEqual(["Mango_b"]);
    expect((await page("?query=secret")).body.rooms).toEqual([]);
    const first = await page("?query=mango&limit=2");
    expect(first.body.nextAfter).toBe(byName.get("Mango_b")!);
    const rest = await page(`?query=mango&limit=2&after=${first.body.nextAfter}`);
    expect(rest.body).toEqual({ rooms: [expect.objectContaining({ name: "Mangos" })], nextAfter: null });
  });

  test("refuses a limit over 100, an over-long query, and a cursor that is not a public room alike", async () => {
    expect((await page("?limit=101")).status).toBe(400);
    expect((await page("?limit=0")).status).toBe(400);
    expect((await page(`?query=${"x".repeat(81)}`)).status).toBe(400);
    const secret = await page(`?after=${byName.get("secret")}`);
    const unknown = await page("?after=987654");
    expect(secret).toEqual(unknown);
    expect(secret.body.error).toBe("invalid_request");
  });

  test("needs a session", async () => {
    expect((await app.request("/api/rooms/public")).status).toBe(401);
  });
});
