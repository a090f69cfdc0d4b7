// Requests whose Host or request target cannot be a URL, sent to the compiled binary over raw TCP
// and TLS (fetch() would refuse to send them): both listeners answer 400 with the security headers,
// never a 500, never Bun's development error page, and log one short line without a stack trace.
// Then a fuzz over Host and request-target values asserts the same for whatever arrives.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { freePort, startBinary, type RunningBinary } from "../support/binary.ts";
import { fuzzParameters, fuzzTimeout } from "../fuzz/hostile-values.ts";
import { getWith, isParserRefusal, missingSecurityHeaders, rawRequest, STACK_TRACE, type RawAnswer } from "./raw-http.ts";

/** The hosts of issue 21, §5, plus their relatives. */
const MALFORMED_HOSTS = ["a@evil.example", "x/y", "a b", "", "[::1", "x?y", "x#y", "a:99999", "a:b", "évil.example", "[zz::1]", "a\\b"];

let binary: RunningBinary;
let redirectPort: number;

beforeAll(async () => {
  redirectPort = await freePort();
  binary = await startBinary({ args: ["--redirect-port", String(redirectPort)] });
});
afterAll(() => binary?.stop());

const listeners = () => [
  { name: "HTTPS", port: binary.port, tls: true },
  { name: "redirect", port: redirectPort, tls: false },
];

function expectRefusedProperly(answer: RawAnswer, what: string) {
  expect({ what, status: answer.status }).toEqual({ what, status: 400 });
  expect({ what, missing: missingSecurityHeaders(answer) }).toEqual({ what, missing: [] });
  expect(answer.headers["content-type"]).toStartWith("application/json");
  const body = JSON.parse(answer.body) as { error: string; message: string };
  expect(body.error).toBe("invalid_request");
  expect(answer.body).not.toMatch(STACK_TRACE);
  expect(answer.body.length).toBeLessThan(300);
}

describe("a malformed Host gets 400 with the security headers", () => {
  for (const host of MALFORMED_HOSTS) {
    test(`Host: ${JSON.stringify(host)}, on both listeners`, async () => {
      for (const listener of listeners()) {
        const answer = await rawRequest(listener.port, getWith("/api/health", host), { tls: listener.tls });
        expectRefusedProperly(answer, `${listener.name} ${JSON.stringify(host)}`);
      }
    });
  }

  test("no Host header at all (HTTP/1.0 allows it; VaultRoom does not)", async () => {
    for (const listener of listeners()) {
      const answer = await rawRequest(listener.port, "GET /api/health HTTP/1.0\r\n\r\n", { tls: listener.tls });
      expectRefusedProperly(answer, `${listener.name} without Host`);
    }
  });

  test("two Host headers are refused, not merged", async () => {
    for (const listener of listeners()) {
      const request = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n";
      expectRefusedProperly(await rawRequest(listener.port, request, { tls: listener.tls }), `${listener.name} two Hosts`);
    }
  });

  test("the WebSocket address refuses a malformed Host before any upgrade", async () => {
    const request = "GET /ws HTTP/1.1\r\nHost: a@evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    expectRefusedProperly(await rawRequest(binary.port, request, { tls: true }), "ws upgrade");
  });

  test("the log has one short line per refusal and no stack trace or source", () => {
    const lines = binary.output().split("\n").filter(Boolean);
    expect(binary.output()).not.toMatch(STACK_TRACE);
    const refused = lines.filter((line) => line.includes('"status":400'));
    for (const line of refused) expect(line.length).toBeLessThan(400);
    // Every malformed request above on both listeners: 12 hosts, no Host, two Hosts, and the upgrade.
    expect(refused.length).toBeGreaterThanOrEqual(2 * (MALFORMED_HOSTS.length + 2) + 1);
  });
});

describe("the redirect listener", () => {
  test("redirects to the configured address, whatever Host the request names", async () => {
    const answer = await rawRequest(redirectPort, getWith("/chat?room=1", "evil.example"), { tls: false });
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`https://127.0.0.1:${binary.port}/chat?room=1`);
    expect(missingSecurityHeaders(answer)).toEqual([]);
  });
});

// Hosts and request targets built from the characters that break URL parsing, plus random bytes.
const hostChars = fc.constantFrom(..."aZ09.-_:@/[]?#% \\\t\"'<>{}|^`~!$&()*+,;=", "é", "\u0000", "\u007f", "\u00ff", "ü", "[::1]", "127.0.0.1", ":8443");
const hostValue = fc.oneof(
  fc.string({ unit: hostChars, maxLength: 24 }),
  fc.string({ unit: "binary-ascii", maxLength: 24 }).map((s) => s.replace(/[\r\n]/g, "")),
  fc.constantFrom("localhost", "127.0.0.1", "[::1]", "localhost:65536", "localhost:-1", "[::1]:80", "a".repeat(300)),
);
const targetValue = fc.oneof(
  fc.constantFrom("/", "/api/health", "*", "http://evil.example/api/health", "//evil.example/x", "/%", "/%zz", "/a?b=%zz",
    "/../../etc/passwd", "/api/../api/health", "/ws", "/api/files/x", "https://127.0.0.1/", "/\u00e9", "?", "#", "/a#b"),
  fc.string({ unit: hostChars, maxLength: 30 }).map((s) => `/${s}`),
  fc.string({ unit: "binary-ascii", maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, "")),
);

test(
  "fuzz: any Host and request target gets a proper answer on both listeners (never 500, never a stack, always the headers)",
  async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.option(hostValue, { nil: null, freq: 10 }), targetValue, async (toHttps, host, target) => {
        const listener = toHttps ? listeners()[0]! : listeners()[1]!;
        const answer = await rawRequest(listener.port, getWith(target, host), { tls: listener.tls });
        const what = `${listener.name} GET ${JSON.stringify(target)} Host ${JSON.stringify(host)}: ${answer.raw.slice(0, 200)}`;
        expect({ what, answered: answer.status !== 0 }).toEqual({ what, answered: true });
        expect({ what, serverError: answer.status >= 500 && answer.status !== 505 }).toEqual({ what, serverError: false });
        expect({ what, stack: STACK_TRACE.test(answer.raw) }).toEqual({ what, stack: false });
        // Either VaultRoom answered (with its headers), or Bun's parser refused the bytes before it could.
        if (!isParserRefusal(answer)) expect({ what, missing: missingSecurityHeaders(answer) }).toEqual({ what, missing: [] });
      }),
      fuzzParameters(300),
    );
    const health = await rawRequest(binary.port, getWith("/api/health", `127.0.0.1:${binary.port}`), { tls: true });
    expect(health.status).toBe(200);
    expect(binary.output()).not.toMatch(STACK_TRACE);
  },
  fuzzTimeout(300, 50),
);
