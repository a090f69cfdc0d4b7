// Property-based fuzzing of the socket protocol with real WebSocket clients against a listening
// server: sequences of valid frames with one field made hostile, damaged JSON, junk text, binary and
// oversized frames. Every frame that names a requestId gets exactly one answer (an ack or an error
// with a known code), no answer leaks internals, the socket stays open unless a frame was over
// 16 KiB (then it closes with 1009), and serving more of them takes no more memory. Also fuzzes
// the upgrade request itself. FUZZ_RUNS=N runs N sequences instead of the quick default.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { heapStats } from "bun:jsc";
import fc from "fast-check";
import { MAX_FRAME_BYTES, type RequestType } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { api, TestSocket, uuid, type TestServer } from "../ws/client.ts";
import { expectProperHttpAnswer, expectProperSocketEvent } from "./answers.ts";
import { damagedText, fuzzParameters, fuzzTimeout, hostileString, mutatedBody } from "./hostile-values.ts";

const QUICK_RUNS = 500;
/** Sequences (each on a new connection) in each round of the memory test. */
const MEMORY_RUNS = 300;
/**
 * Growth allowed over the two rounds after the warm-ups. Measured here over 600 sequences: live JS
 * objects went from -4,700 to +140 without a leak, +4,840 when each connection's handler was kept;
 * RSS moved -4 to +10 MiB either way, so its bound only catches a leak of ~50 KiB a connection.
 */
const OBJECT_GROWTH = 1000;
const RSS_GROWTH_MIB = 32;
const MIB = 1024 * 1024;
// Stand-ins replaced as each frame is sent: the run's own message, and a fresh requestId.
const OWN_MESSAGE = -535353;
const RID = "$rid";

let server: TestServer;
let users: TestUser[];
let roomId: number;

beforeAll(async () => {
  // A bot-sized rate: the per-connection frame limit (tested in test/ws) would otherwise answer most
  // fuzzed frames before validation does.
  server = await startTestServer({ config: { messageRate: 100_000 } });
  users = [];
  for (let i = 0; i < 8; i++) users.push(await createTestUser(server.deps));
  const created = await api(server, users[0]!, "/api/rooms", { json: { kind: "public", name: "socket fuzzing" } });
  roomId = ((await created.json()) as { room: { id: number } }).room.id;
}, 30_000);
afterAll(() => server.stop());

function validFrames(): Record<RequestType, Record<string, unknown>> {
  return {
    "message.post": { type: "message.post", requestId: RID, roomId, clientId: "00000000-0000-4000-8000-000000000000", body: "fuzzed hello" },
    "message.edit": { type: "message.edit", requestId: RID, messageId: OWN_MESSAGE, body: "fuzzed edit" },
    "message.delete": { type: "message.delete", requestId: RID, messageId: OWN_MESSAGE },
    "room.join": { type: "room.join", requestId: RID, roomId },
    "room.leave": { type: "room.leave", requestId: RID, roomId },
    "typing.start": { type: "typing.start", requestId: RID, roomId },
    "read.mark": { type: "read.mark", requestId: RID, roomId, messageId: OWN_MESSAGE },
    sync: { type: "sync", requestId: RID, rooms: [{ roomId, lastId: 0 }], since: 0 },
    history: { type: "history", requestId: RID, roomId, before: OWN_MESSAGE, limit: 20 },
    ping: { type: "ping", requestId: RID },
    "reaction.add": { type: "reaction.add", requestId: RID, messageId: OWN_MESSAGE, emoji: "👍" },
    "reaction.remove": { type: "reaction.remove", requestId: RID, messageId: OWN_MESSAGE, emoji: "👍" },
    "message.pin": { type: "message.pin", requestId: RID, messageId: OWN_MESSAGE },
    "message.unpin": { type: "message.unpin", requestId: RID, messageId: OWN_MESSAGE },
    "thread.read": { type: "thread.read", requestId: RID, threadRootId: OWN_MESSAGE, messageId: OWN_MESSAGE },
    "client.visibility": { type: "client.visibility", requestId: RID, visible: true },
  };
}

/** The new fields of older requests (issue 11), each in a valid frame of its own. */
function conversationFrames(): Record<string, unknown>[] {
  return [
    { type: "message.post", requestId: RID, roomId, clientId: "00000000-0000-4000-8000-000000000000", body: "a reply", threadRootId: OWN_MESSAGE, alsoToRoom: true },
    { type: "message.post", requestId: RID, roomId, clientId: "00000000-0000-4000-8000-000000000000", body: "a quote", quoteId: OWN_MESSAGE },
    { type: "history", requestId: RID, roomId, around: OWN_MESSAGE, limit: 10 },
    { type: "history", requestId: RID, roomId, threadRootId: OWN_MESSAGE, after: 0 },
    { type: "reaction.add", requestId: RID, messageId: OWN_MESSAGE, emoji: "👨‍👩‍👧" },
  ];
}

function frameArbitrary(): fc.Arbitrary<string | Uint8Array> {
  const valid = [...Object.values(validFrames()), ...conversationFrames()];
  const text = (frame: Record<string, unknown>) => JSON.stringify(frame);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...valid).chain((frame) => mutatedBody(frame)).map((value) => JSON.stringify(value) ?? "null"), weight: 10 },
    { arbitrary: fc.constantFrom(...valid).map(text), weight: 3 },
    { arbitrary: fc.constantFrom(...valid).chain((frame) => damagedText(text(frame))), weight: 3 },
    { arbitrary: hostileString, weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }), weight: 1 },
    { arbitrary: fc.integer({ min: MAX_FRAME_BYTES + 1, max: 3 * MAX_FRAME_BYTES }).map((n) => `{"type":"ping","pad":"${"x".repeat(n)}"}`), weight: 1 },
  );
}

/** The requestId a parsed frame carries back in its answer, as the server reads it. */
function answeredId(text: string): string | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!frame || typeof frame !== "object" || Array.isArray(frame) || typeof (frame as { type?: unknown }).type !== "string") return undefined;
  const id = (frame as { requestId?: unknown }).requestId;
  return typeof id === "string" && id.length > 0 && id.length <= 64 ? id : undefined;
}

let turn = 0;
let frameNumber = 0;

async function runSequence(frames: (string | Uint8Array)[]): Promise<void> {
  const user = users[turn++ % users.length]!;
  // A fuzzed room.leave may have left it. Rejoined in the database: fuzzed room.join/leave frames spend
  // the user's action bucket, and a refused HTTP join here would fail the run for the wrong reason.
  await server.sql.run("INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?) ON CONFLICT DO NOTHING", roomId, user.id, Date.now());
  const socket = await TestSocket.connect(server, user.cookie);
  try {
    const own = await socket.post({ type: "message.post", roomId, clientId: uuid(), body: "mine" });
    const expected: string[] = [];
    let oversized = false;
    for (const frame of frames) {
      if (typeof frame !== "string") {
        socket.sendRaw(frame);
        continue;
      }
      const rid = `f${++frameNumber}`;
      const text = frame.replaceAll(RID, rid).replaceAll(String(OWN_MESSAGE), String(own.message.id)).replaceAll(
        "00000000-0000-4000-8000-000000000000",
        uuid(),
      );
      socket.sendRaw(text);
      if (Buffer.byteLength(text) > MAX_FRAME_BYTES) {
        oversized = true;
        break;
      }
      const id = answeredId(text);
      if (id === rid) expected.push(rid);
    }
    if (oversized) {
      const closed = await within(socket.closed, "the close after an oversized frame");
      expect(closed.code).toBe(1009);
    } else {
      for (const rid of expected) {
        await within(socket.next((e) => (e.type === "ack" || e.type === "error") && e.requestId === rid), `an answer to ${rid}`);
      }
      await within(socket.barrier(), "the barrier ping");
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
      for (const rid of expected) {
        const answers = socket.events.filter((e) => (e.type === "ack" || e.type === "error") && e.requestId === rid);
        expect({ rid, answers: answers.length }).toEqual({ rid, answers: 1 });
      }
    }
    for (const event of socket.events) expectProperSocketEvent(event, `frames ${JSON.stringify(frames).slice(0, 400)}`);
  } finally {
    socket.close();
  }
}

/** Waits for `promise`, failing with a clear line if the server never answers (a hang). */
async function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms: the server hung on this input`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test(
  "sequences of hostile frames each get a proper answer and leave the socket usable",
  async () => {
    await fc.assert(fc.asyncProperty(fc.array(frameArbitrary(), { minLength: 1, maxLength: 10 }), runSequence), fuzzParameters(QUICK_RUNS));
  },
  fuzzTimeout(QUICK_RUNS, 300),
);

test(
  "hostile upgrade requests get a proper HTTP error and never a socket",
  async () => {
    const user = users[0]!;
    const cookieValue = fc.oneof(
      fc.constant(user.cookie),
      hostileString.map((s) => `__Host-vaultroom_session=${encodeURIComponent(s.toWellFormed()).slice(0, 4000)}`),
      fc.constantFrom("__Host-vaultroom_session={bad", "__Host-vaultroom_session=[1,2", '__Host-vaultroom_session={"sid":"x"}', "__Host-vaultroom_session=e30.e30.", `${user.cookie}x`, ""),
    );
    const origin = fc.oneof(fc.constant(server.origin), fc.constantFrom("null", "https://evil.example", `${server.origin}.evil.example`, "", server.origin.replace("https", "http")), hostileString.map((s) => s.replace(/[^\x21-\x7e]/g, "").slice(0, 200)));
    await fc.assert(
      fc.asyncProperty(cookieValue, origin, fc.constantFrom("", "?a=1", "?__proto__[x]=1", "?%E0%A4%A"), async (cookie, originValue, query) => {
        const headers: Record<string, string> = {};
        if (cookie) headers.cookie = cookie;
        if (originValue) headers.origin = originValue;
        const response = await fetch(`${server.url}/ws${query}`, { headers, tls: { rejectUnauthorized: false } } as RequestInit);
        const { status } = await expectProperHttpAnswer(response, `GET /ws ${query} origin=${originValue} cookie=${cookie.slice(0, 80)}`);
        // A plain GET is never upgraded; with our origin and a valid session it is told to use a socket.
        expect([400, 401, 403, 429]).toContain(status);
      }),
      fuzzParameters(QUICK_RUNS),
    );
  },
  fuzzTimeout(QUICK_RUNS, 50),
);

test("serving more hostile sequences takes no more memory, and the server still serves", async () => {
  // The same rounds (same seed) again and again: the first warms up (JIT, caches, the allocator's
  // pools); after it, memory must stay level. A leak grows with every round instead.
  const sequences = fc.array(frameArbitrary(), { minLength: 1, maxLength: 10 });
  const round = async () => {
    await fc.assert(fc.asyncProperty(sequences, runSequence), { numRuns: MEMORY_RUNS, seed: 18, endOnFailure: true });
    Bun.gc(true);
    return { rss: process.memoryUsage().rss / MIB, objects: heapStats().objectCount };
  };
  const rounds = [await round(), await round(), await round(), await round()];
  console.log(`socket fuzz: after each round of ${MEMORY_RUNS} sequences: ${rounds.map((r) => `${r.rss.toFixed(1)} MiB RSS, ${r.objects} objects`).join("; ")}`);
  const [, warmed, , last] = rounds;
  expect({ objects: last!.objects - warmed!.objects < OBJECT_GROWTH, rss: last!.rss - warmed!.rss < RSS_GROWTH_MIB }).toEqual({ objects: true, rss: true });

  const health = await api(server, null, "/api/health");
  expect(health.status).toBe(200);
  const socket = await TestSocket.connect(server, users[1]!.cookie);
  await socket.barrier();
  socket.close();
}, 300_000);
