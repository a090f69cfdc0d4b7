// A push service for tests: an HTTPS server on loopback standing in for a browser vendor's (RFC 8030).
// It checks every request as a real one would — a VAPID JWT (RFC 8292: ES256 signature by the key
// in `k`, `aud` = this service's origin, `exp` no more than 24 h ahead) — and decrypts the payload
// (RFC 8291, aes128gcm) with the subscription keys the test generated, the way the browser would.
// Each endpoint can answer 201 (default), any status (410: gone; 503 a few times, then 201), or hang
// until release(). Every request is timestamped per endpoint (`arrivals`).
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Server } from "bun";
import { loadOrCreateCertificate } from "../../src/tls/certificate.ts";
import { tempDir } from "./app.ts";

export interface ReceivedPush {
  endpoint: string;
  headers: Record<string, string>;
  jwt: { aud: string; exp: number; sub: string };
  /** The VAPID public key the request was signed with (`k=`). */
  vapidKey: string;
  /** The decrypted payload, parsed as JSON. */
  payload: Record<string, unknown>;
  /** The decrypted payload as text, for asserting what it does NOT contain. */
  text: string;
}

export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * How an endpoint answers: a status (the first `times` requests only, 201 after them; every request
 * when `times` is absent), with Retry-After when given; or never, until release().
 */
type Behaviour = { status: number; times?: number; retryAfter?: number } | "hang";

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

function decrypt(body: Uint8Array, privateKey: Buffer, publicKey: Buffer, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const serverPublic = Buffer.from(body.subarray(21, 21 + idLength));
  const ciphertext = body.subarray(21 + idLength);
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(privateKey);
  const shared = ecdh.computeSecret(serverPublic);
  const info = Buffer.concat([Buffer.from("WebPush: info\0"), publicKey, serverPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, authSecret, info, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(Buffer.from(ciphertext.subarray(ciphertext.length - 16)));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then optional zero padding.
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  if (plain[end - 1] !== 2) throw new Error("no last-record delimiter");
  return plain.subarray(0, end - 1).toString("utf8");
}

async function verifyJwt(header: string, origin: string): Promise<{ jwt: ReceivedPush["jwt"]; key: string }> {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
  const [, token, key] = match as unknown as [string, string, string];
  const [head, claims, signature] = token.split(".") as [string, string, string];
  const publicKey = await crypto.subtle.importKey("raw", Buffer.from(key, "base64url"), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const valid = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, publicKey, Buffer.from(signature, "base64url"), Buffer.from(`${head}.${claims}`));
  if (!valid) throw new Error("the VAPID signature does not verify");
  const alg = JSON.parse(Buffer.from(head, "base64url").toString()) as { alg: string };
  if (alg.alg !== "ES256") throw new Error(`alg ${alg.alg}`);
  const jwt = JSON.parse(Buffer.from(claims, "base64url").toString()) as ReceivedPush["jwt"];
  const now = Date.now() / 1000;
  if (jwt.aud !== origin) throw new Error(`aud ${jwt.aud}, expected ${origin}`);
  if (!(jwt.exp > now && jwt.exp <= now + 24 * 3600)) throw new Error(`exp ${jwt.exp} is not within 24 h`);
  if (!/^(https:|mailto:)/.test(jwt.sub ?? "")) throw new Error(`sub ${jwt.sub}`);
  return { jwt, key };
}

export async function startPushService() {
  const certificate = await loadOrCreateCertificate(join(tempDir("vaultroom-push-"), "certs"));
  const received: ReceivedPush[] = [];
  const problems: string[] = [];
  const keys = new Map<string, { privateKey: Buffer; publicKey: Buffer; auth: Buffer }>();
  const behaviours = new Map<string, Behaviour>();
  const hanging: (() => void)[] = [];
  const arrivals = new Map<string, number[]>();
  const waiters: { match: (push: ReceivedPush) => boolean; resolve: (push: ReceivedPush) => void }[] = [];
  let opened = 0;

  const server: Server<unknown> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: certificate.cert, key: certificate.key },
    async fetch(request) {
      opened++;
      const url = new URL(request.url);
      const endpoint = `${origin}${url.pathname}`;
      const behaviour = behaviours.get(url.pathname) ?? { status: 201 };
      arrivals.set(endpoint, [...(arrivals.get(endpoint) ?? []), performance.now()]);
      try {
        const { jwt, key } = await verifyJwt(request.headers.get("authorization") ?? "", origin);
        const subscription = keys.get(url.pathname);
        if (!subscription) throw new Error(`unknown endpoint ${url.pathname}`);
        if (request.headers.get("content-encoding") !== "aes128gcm") throw new Error("not aes128gcm");
        const text = decrypt(new Uint8Array(await request.arrayBuffer()), subscription.privateKey, subscription.publicKey, subscription.auth);
        const push: ReceivedPush = { endpoint, headers: Object.fromEntries(request.headers), jwt, vapidKey: key, payload: JSON.parse(text), text };
        received.push(push);
        for (const waiter of [...waiters]) {
          if (waiter.match(push)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(push);
          }
        }
      } catch (error) {
        problems.push(String(error));
        return new Response("bad request", { status: 400 });
      }
      if (behaviour === "hang") return new Promise<Response>((resolve) => hanging.push(() => resolve(new Response(null, { status: 201 }))));
      if (behaviour.times !== undefined) {
        if (behaviour.times <= 0) return new Response(null, { status: 201 });
        behaviours.set(url.pathname, { ...behaviour, times: behaviour.times - 1 });
      }
      const headers: Record<string, string> = behaviour.retryAfter !== undefined ? { "retry-after": String(behaviour.retryAfter) } : {};
      return new Response(null, { status: behaviour.status, headers });
    },
  });
  const origin = `https://127.0.0.1:${server.port}`;

  return {
    origin,
    ca: certificate.cert,
    received,
    /** Requests that failed the JWT check or decryption: every test expects none. */
    problems,
    /** Requests that reached the server, whatever happened to them. */
    get opened() {
      return opened;
    },
    /** A subscription as a browser would make it: fresh P-256 keys and auth secret, an endpoint here. */
    subscription(behaviour: Behaviour = { status: 201 }): TestSubscription {
      const ecdh = createECDH("prime256v1");
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${b64url(randomBytes(12))}`;
      keys.set(path, { privateKey: ecdh.getPrivateKey(), publicKey, auth });
      behaviours.set(path, behaviour);
      return { endpoint: origin + path, keys: { p256dh: b64url(publicKey), auth: b64url(auth) } };
    },
    /** The first push received (or to come) matching `match`. */
    next(match: (push: ReceivedPush) => boolean): Promise<ReceivedPush> {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    to: (subscription: TestSubscription) => received.filter((push) => push.endpoint === subscription.endpoint),
    /** When each request to this subscription's endpoint arrived (performance.now()), whatever was answered. */
    arrivalsAt: (subscription: TestSubscription) => arrivals.get(subscription.endpoint) ?? [],
    /** Answers every hanging request (201), and from now on hanging endpoints answer at once. */
    release(): void {
      for (const [path, behaviour] of behaviours) if (behaviour === "hang") behaviours.set(path, { status: 201 });
      for (const answer of hanging.splice(0)) answer();
    },
    get hangingCount() {
      return hanging.length;
    },
    stop(): void {
      this.release();
      server.stop(true);
    },
  };
}

export type PushService = Awaited<ReturnType<typeof startPushService>>;
