// Issue 21, §3 (the same class, another pool): password hashing runs 2 at a time with 32 waiting.
// Two addresses sending their full login burst (20 each) fill that queue, and then everyone else's
// login got 503 server_busy until it drained. Now an address cannot keep others out of the queue.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type ConnectionOptions } from "node:tls";
import { startTestServer } from "../support/app.ts";
import { parseAnswer, type RawAnswer } from "../hostile/raw-http.ts";
import { PASSWORD } from "./accounts-helpers.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
  const made = await fetch(`${server.url}/api/auth/register`, {
    method: "POST",
    body: JSON.stringify({ username: "victim", password: PASSWORD }),
    headers: { "content-type": "application/json", origin: server.origin },
    tls: { rejectUnauthorized: false },
  } as RequestInit);
  expect(made.status).toBe(201);
});
afterAll(() => server.stop());

/** POST /api/auth/login from a chosen loopback address (127.0.0.0/8 is all ours on Linux). */
function loginFrom(address: string, username: string, password: string): Promise<RawAnswer> {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve) => {
    let raw = "";
    // localAddress works (net.connect's option), though node's TLS types leave it out.
    const options = { host: "127.0.0.1", port: server.port, localAddress: address, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] };
    const socket = connect(options as ConnectionOptions, () =>
      socket.write(
        `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.origin}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      ),
    );
    socket.on("data", (chunk: Buffer) => (raw += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(parseAnswer(raw)));
  });
}

test("while other addresses flood logins, a login from one more address still gets its turn", async () => {
  // Six addresses, each within its own rate limit (20 at once): far more than the queue holds.
  let busy = 0;
  const flood = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"].flatMap((address) =>
    Array.from({ length: 20 }, (_, i) =>
      loginFrom(address, `nobody-${address}-${i}`, "some wrong password").then((answer) => {
        if (answer.status === 503) busy++;
        return answer.status;
      }),
    ),
  );
  // The queue is full once the first of them is turned away as busy.
  for (let i = 0; i < 1000 && busy === 0; i++) await Bun.sleep(10);
  expect(busy).toBeGreaterThan(0);
  const mine = await loginFrom("127.0.0.1", "victim", PASSWORD);
  expect({ status: mine.status, body: mine.status === 200 ? "" : mine.body }).toEqual({ status: 200, body: "" });
  const statuses = await Promise.all(flood);
  expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
}, 60_000);
