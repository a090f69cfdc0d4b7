// The VAPID pair the server makes for itself (push/vapid-keys.ts) must be one web-push signs with and
// a push service verifies: the right sizes, a public key that belongs to the private one, and a
// signed VAPID JWT that checks out against the public key as a push service would check it.
import { describe, expect, test } from "bun:test";
import { createPublicKey, verify } from "node:crypto";
import webpush from "web-push";
import { generateVapidKeys } from "../../src/push/vapid-keys.ts";

const P256_SPKI_PREFIX = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");

describe("generateVapidKeys", () => {
  test("every pair has the sizes web-push and browsers require", () => {
    for (let i = 0; i < 200; i++) {
      const { publicKey, privateKey } = generateVapidKeys();
      const point = Buffer.from(publicKey, "base64url");
      expect(point.length).toBe(65);
      expect(point[0]).toBe(0x04);
      expect(Buffer.from(privateKey, "base64url").length).toBe(32);
      expect(publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
      expect(privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  test("pairs differ", () => {
    const a = generateVapidKeys();
    const b = generateVapidKeys();
    expect(a.privateKey).not.toBe(b.privateKey);
    expect(a.publicKey).not.toBe(b.publicKey);
  });

  test("web-push signs with the pair and the signature verifies against the public key", () => {
    const { publicKey, privateKey } = generateVapidKeys();
    const headers = webpush.getVapidHeaders("https://push.example.net", "mailto:admin@example.org", publicKey, privateKey, "aes128gcm");
    const auth = String(headers.Authorization);
    const match = /^vapid t=([^,]+), k=(.+)$/.exec(auth);
    expect(match).not.toBeNull();
    const [, jwt, k] = match!;
    expect(k).toBe(publicKey);
    const [header, payload, signature] = jwt!.split(".");
    const key = createPublicKey({ key: Buffer.concat([P256_SPKI_PREFIX, Buffer.from(publicKey, "base64url")]), format: "der", type: "spki" });
    const signed = Buffer.from(`${header}.${payload}`);
    expect(verify("sha256", signed, { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature!, "base64url"))).toBe(true);
    // The same JWT does not verify against another pair's public key.
    const other = generateVapidKeys().publicKey;
    const otherKey = createPublicKey({ key: Buffer.concat([P256_SPKI_PREFIX, Buffer.from(other, "base64url")]), format: "der", type: "spki" });
    expect(verify("sha256", signed, { key: otherKey, dsaEncoding: "ieee-p1363" }, Buffer.from(signature!, "base64url"))).toBe(false);
    expect(JSON.parse(Buffer.from(payload!, "base64url").toString())).toMatchObject({ aud: "https://push.example.net", sub: "mailto:admin@example.org" });
  });
});
