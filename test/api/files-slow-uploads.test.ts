// Issue 21, §3: 16 accounts holding 4 uploads each, trickling one byte every 2 s, kept every other
// user at 429 too_many_uploads. Now the pool is large enough and partly reserved for first uploads,
// so a 17th user's upload goes through during the attack; and a body below the minimum rate loses
// its slot with 408 upload_too_slow (the rate window scaled down to seconds for the test).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { startTestServer } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { errorOf, privateRoom, uploadPath, users } from "./files-helpers.ts";
import { slowUpload, type SlowUpload } from "./slow-upload-client.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
const MiB = 1024 * 1024;

async function attackers(server: Server) {
  const [victim, ...rest] = (await users(server, 17)) as [TestUser, ...TestUser[]];
  const roomId = await privateRoom(server, victim, rest);
  return { victim, attackers: rest, roomId };
}

/** 16 accounts x 4 uploads, each declaring 1 MiB and sending one byte every `byteEveryMs`. */
function startAttack(server: Server, accounts: TestUser[], roomId: number, byteEveryMs: number): SlowUpload[] {
  return accounts.flatMap((user, u) =>
    Array.from({ length: 4 }, (_, i) =>
      slowUpload({ port: server.port, path: uploadPath(roomId, { name: `slow-${u}-${i}.bin` }), cookie: user.cookie, origin: server.origin, declared: MiB, byteEveryMs }),
    ),
  );
}

const partFiles = (server: Server) => readdirSync(join(server.dataDir, "files")).filter((name) => name.endsWith(".part")).length;

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

function uploadAs(server: Server, user: TestUser, roomId: number, bytes: number) {
  return fetch(server.url + uploadPath(roomId, { name: "honest.bin" }), {
    method: "POST",
    body: new Uint8Array(bytes),
    headers: { cookie: user.cookie, origin: server.origin },
    tls: { rejectUnauthorized: false },
  } as RequestInit);
}

describe("with the production limits", () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  test("while 16 accounts hold 4 slow uploads each, a 17th user's 1 MiB upload succeeds", async () => {
    const { victim, attackers: accounts, roomId } = await attackers(server);
    const attack = startAttack(server, accounts, roomId, 2000);
    try {
      await waitFor("64 uploads in flight", () => partFiles(server) === 64);
      const response = await uploadAs(server, victim, roomId, MiB);
      expect({ status: response.status, body: response.status === 201 ? "" : await response.text() }).toEqual({ status: 201, body: "" });
      // The attack is still holding its slots: the upload got through beside it, not after it.
      expect(partFiles(server)).toBe(64);
    } finally {
      for (const upload of attack) upload.stop();
    }
  }, 30_000);
});

describe("with the rate window scaled down to two seconds", () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({
      config: {
        uploadTuning: {
          // 4 KiB/s over 2 s after 1 s; the deadline is 1 s + 25 MiB at 1 MiB/s.
          pace: { minBytesPerSecond: 4096, windowMs: 2000, graceMs: 1000, referenceBytesPerSecond: MiB },
          // The old pool, with no reserve: only the rate rule can free it.
          slots: { perUser: 4, total: 64, reservedForFirst: 0 },
        },
      },
    });
  });
  afterAll(() => server.stop());

  test("slow uploads lose their slots with 408 upload_too_slow, and the 17th user then gets through", async () => {
    const { victim, attackers: accounts, roomId } = await attackers(server);
    const attack = startAttack(server, accounts, roomId, 200);
    try {
      await waitFor("64 uploads in flight", () => partFiles(server) === 64);
      const blocked = await uploadAs(server, victim, roomId, 1024);
      expect(await errorOf(blocked)).toMatchObject({ status: 429, error: "too_many_uploads" });

      const answers = await Promise.all(attack.map((upload) => upload.answer));
      const bodies = answers.map((answer) => ({ status: answer.status, error: answer.body && (JSON.parse(answer.body) as { error: string }).error }));
      expect(new Set(bodies.map((b) => JSON.stringify(b)))).toEqual(new Set([JSON.stringify({ status: 408, error: "upload_too_slow" })]));
      expect(JSON.parse(answers[0]!.body).message).toBe("The upload was too slow: it must average at least 4 KiB/s over 2 s. Try again on a faster connection.");
      await waitFor("partial files removed", () => partFiles(server) === 0);

      const response = await uploadAs(server, victim, roomId, MiB);
      expect(response.status).toBe(201);
    } finally {
      for (const upload of attack) upload.stop();
    }
  }, 30_000);

  test("an honest upload above the minimum rate completes beside them", async () => {
    const { victim, attackers: accounts, roomId } = await attackers(server);
    const attack = startAttack(server, accounts.slice(0, 4), roomId, 200);
    try {
      // 256 KiB at ~160 KiB/s (16 KiB every 100 ms): well above the minimum, yet still arriving when
      // the trickles beside it are cut.
      const chunk = new Uint8Array(16 * 1024).fill(0x61);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent >= 256 * 1024) return controller.close();
          await Bun.sleep(100);
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(server.url + uploadPath(roomId, { name: "steady.bin" }), {
        method: "POST",
        body,
        duplex: "half",
        headers: { cookie: victim.cookie, origin: server.origin, "content-type": "application/octet-stream" },
        tls: { rejectUnauthorized: false },
      } as RequestInit);
      expect(response.status).toBe(201);
      for (const answer of await Promise.all(attack.map((upload) => upload.answer))) expect(answer.status).toBe(408);
    } finally {
      for (const upload of attack) upload.stop();
    }
  }, 30_000);
});
