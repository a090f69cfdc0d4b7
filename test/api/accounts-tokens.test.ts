// Forged session tokens: each must be refused even when signed with the real key where possible.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { createTestApp, type TestApp } from "../support/app.ts";
import { isLoggedIn, registerUser } from "./accounts-helpers.ts";

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function sign(header: Record<string, unknown>, payload: Record<string, unknown>, key: string, hmac: "sha256" | "sha512" = "sha256"): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hmac, key).update(input).digest("base64url")}`;
}

describe("session tokens", () => {
  let app: TestApp;
  afterAll(() => app.close());
  let key = "";
  let claims: Record<string, unknown> = {};
  let token = "";
  const now = () => Math.floor(Date.now() / 1000);
  const asCookie = (value: string) => `__Host-vaultroom_session=${value}`;

  beforeAll(async () => {
    app = await createTestApp();
    const { cookie } = await registerUser(app, "alice");
    token = cookie.slice(cookie.indexOf("=") + 1);
    claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    // The JWT key is an HMAC secret: HS256 keys are used as raw bytes of the string.
    key = app.deps.secrets.sessionKey;
  });

  test("a token this test signs the way the server does is accepted (the forgeries below differ in one thing)", async () => {
    expect(await isLoggedIn(app, asCookie(token))).toBe(true);
    const resigned = sign({ alg: "HS256", typ: "JWT" }, { ...claims, iat: now(), exp: now() + 3600 }, key);
    expect(await isLoggedIn(app, asCookie(resigned))).toBe(true);
  });

  test("alg none is refused", async () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, exp: now() + 3600 })}.`;
    expect(await isLoggedIn(app, asCookie(unsigned))).toBe(false);
  });

  test("HS512 is refused even with the right key", async () => {
    const forged = sign({ alg: "HS512", typ: "JWT" }, { ...claims, exp: now() + 3600 }, key, "sha512");
    expect(await isLoggedIn(app, asCookie(forged))).toBe(false);
  });

  test("a tampered payload is refused", async () => {
    const [header, , signature] = token.split(".");
    const tampered = `${header}.${b64({ ...claims, exp: Number(claims.exp) + 86400 })}.${signature}`;
    expect(await isLoggedIn(app, asCookie(tampered))).toBe(false);
  });

  test("an expired token is refused", async () => {
    const expired = sign({ alg: "HS256", typ: "JWT" }, { ...claims, iat: now() - 7200, exp: now() - 3600 }, key);
    expect(await isLoggedIn(app, asCookie(expired))).toBe(false);
  });

  test("a token without exp is refused", async () => {
    const { exp: _exp, ...withoutExp } = claims;
    const forever = sign({ alg: "HS256", typ: "JWT" }, withoutExp, key);
    expect(await isLoggedIn(app, asCookie(forever))).toBe(false);
  });

  test("a token from another issuer or signed with another key is refused", async () => {
    expect(await isLoggedIn(app, asCookie(sign({ alg: "HS256" }, { ...claims, iss: "elsewhere" }, key)))).toBe(false);
    expect(await isLoggedIn(app, asCookie(sign({ alg: "HS256" }, claims, "another-key-of-the-same-length-0123456789ab")))).toBe(false);
  });

  test("a validly signed token whose session secret is wrong is refused", async () => {
    const wrongSecret = sign({ alg: "HS256", typ: "JWT" }, { ...claims, sec: "A".repeat(43) }, key);
    expect(await isLoggedIn(app, asCookie(wrongSecret))).toBe(false);
  });
});
