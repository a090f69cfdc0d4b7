// Joins and leaves over the socket share the per-user action bucket with HTTP: a burst past it is
// answered with a `rate_limited` error event, and the same user's HTTP requests are refused too.
import { afterAll, beforeAll, expect, setSystemTime, test } from "bun:test";
import { DEFAULT_CHAT_LIMITS } from "../../src/messages/chat-limits.ts";
import { startTestServer } from "../support/app.ts";
import { api, userWithSocket, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

test("a burst of room.join and room.leave past the limit gets rate_limited, shared with HTTP and per user", async () => {
  const owner = await userWithSocket(server);
  const busy = await userWithSocket(server);
  const calm = await userWithSocket(server);
  const created = await api(server, owner.user, "/api/rooms", { json: { kind: "public", name: "revolving door" } });
  const { room } = (await created.json()) as { room: { id: number } };

  let refusal: Awaited<ReturnType<typeof busy.socket.request>> | undefined;
  let allowed = 0;
  // The clock stands still during the burst and the checks after it: nothing refills, however slow
  // the machine, so the refusal over HTTP right after is certain.
  setSystemTime(new Date(Date.now()));
  try {
  for (let i = 0; i < DEFAULT_CHAT_LIMITS.userActions.capacity * 2 && !refusal; i++) {
    const answer = await busy.socket.request({ type: i % 2 === 0 ? "room.join" : "room.leave", roomId: room.id });
    if (answer.type === "error") refusal = answer;
    else allowed++;
  }
  expect(allowed).toBeGreaterThanOrEqual(DEFAULT_CHAT_LIMITS.userActions.capacity);
  expect(refusal).toMatchObject({ type: "error", code: "rate_limited" });
  expect((refusal as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThanOrEqual(1000);

  const overHttp = await api(server, busy.user, `/api/rooms/${room.id}/join`, { method: "POST" });
  expect(overHttp.status).toBe(429);
  } finally {
    setSystemTime();
  }
  expect(await calm.socket.request({ type: "room.join", roomId: room.id })).toMatchObject({ type: "ack" });
  // The socket stays open and other requests still work.
  await busy.socket.barrier();
});
