// Turns a route's valid request into fuzzed ones. Each generated request changes exactly one part of
// the valid one (a path parameter, the query, the body, its text, its content type, or drops the
// Origin), so it gets past every check but the one being attacked.
import fc from "fast-check";
import { BASE, ORIGIN, type TestApp } from "../support/app.ts";
import { markReauthenticated } from "../support/commands.ts";
import { damagedText, hostileString, hostileValue, mutatedBody, PROTO_KEYS } from "./hostile-values.ts";
import { LATE, ownMessageId, type Actor, type Fixture, type RouteCase } from "./http-routes.ts";

export interface FuzzedRequest {
  params: Record<string, string>;
  /** Raw query string without "?", already encoded (or deliberately not). */
  query: string;
  body: string | Uint8Array | null;
  contentType: string | null;
  origin: boolean;
  /** Replaces the actor's Cookie header: forged, damaged or JSON-looking session cookies. */
  cookie?: string;
}

// A URL cannot carry a lone surrogate as text; its UTF-8-ish encoding (%ED%A0%80) is among the raw segments.
const enc = (text: string) => encodeURIComponent(text.toWellFormed());

const encodePairs = (query: Record<string, string>) => Object.entries(query).map(([k, v]) => `${enc(k)}=${enc(v)}`);

const rawSegment = fc.constantFrom("%", "%%", "%E0%A4%A", "%ED%A0%80", "%C0%AF", "%00", "%2F", "..%2F..%2Fetc", "%FF%FE", "1%20OR%201%3D1", "1;2", "%0d%0a", "~", "..");

const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileString.map((s) => enc(s.slice(0, 2000))), weight: 4 },
  { arbitrary: fc.oneof(fc.integer(), fc.double()).map((n) => enc(String(n))), weight: 2 },
  { arbitrary: rawSegment, weight: 2 },
);

const SESSION = "__Host-vaultroom_session";
const hostileCookie: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    `${SESSION}={bad`, `${SESSION}=[1,2`, `${SESSION}={"sid":"x","uid":1}`, `${SESSION}=null`, `${SESSION}=e30.e30.`,
    `${SESSION}=eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.`, `${SESSION}=%E0%A4%A`, `${SESSION}=a; ${SESSION}=b`, `${SESSION}`, "=", ";;;",
    `${SESSION}=${"a".repeat(8000)}`,
  ),
  hostileString.map((s) => `${SESSION}=${enc(s.slice(0, 500))}`),
);

const CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "multipart/form-data",
  "application/json; charset=utf-16",
  "application/json, text/html",
  "application/xml",
  "application/octet-stream",
  "*/*",
  "",
];

function queryArbitrary(sample: Record<string, string>): fc.Arbitrary<string> {
  const pairs = encodePairs(sample);
  const keys = Object.keys(sample);
  const someKey = keys.length ? fc.constantFrom(...keys) : fc.constant("q");
  const join = (list: string[]) => list.join("&");
  return fc.oneof(
    fc.tuple(someKey, hostileString).map(([key, value]) => join([...encodePairs({ ...sample, [key]: "" }).filter((p) => !p.startsWith(`${enc(key)}=`)), `${enc(key)}=${enc(value.slice(0, 3000))}`])),
    fc.tuple(someKey, hostileString).map(([key, value]) => join([...pairs, `${enc(key)}=${enc(value.slice(0, 200))}`])),
    fc.tuple(fc.constantFrom(...PROTO_KEYS, "a[b]", "a[]", "limit[$gt]", "__proto__[isAdmin]", "constructor[prototype][x]"), hostileString).map(([key, value]) => join([...pairs, `${key}=${enc(value.slice(0, 200))}`])),
    someKey.map((key) => join([...pairs, `${key}[a]=1`, `${key}[]=2`])),
    fc.constantFrom("%", "&&&", "=", "a=%E0%A4%A", "?=?", "%00=%00", "a=%ED%A0%80", "a".repeat(9000) + "=1").map((junk) => join([...pairs, junk])),
  );
}

function bodyArbitrary(route: RouteCase, fixture: Fixture): fc.Arbitrary<string | Uint8Array | null> {
  if (route.rawBody) {
    return fc.oneof(fc.uint8Array({ maxLength: 3000 }), hostileString, fc.constant(null), fc.constant(new Uint8Array(0)));
  }
  if (!route.body) return fc.oneof(hostileValue.map((v) => JSON.stringify(v) ?? "null"), hostileString);
  const sample = route.body(fixture);
  return fc.oneof(
    { arbitrary: mutatedBody(sample).map((value) => JSON.stringify(value) ?? "null"), weight: 6 },
    { arbitrary: damagedText(JSON.stringify(sample)), weight: 2 },
    { arbitrary: fc.constant(null), weight: 1 },
  );
}

/** Requests for `route`: the valid one now and then, otherwise one part of it changed. */
export function fuzzedRequests(route: RouteCase, fixture: Fixture): fc.Arbitrary<FuzzedRequest> {
  const params = route.params?.(fixture) ?? {};
  const sampleQuery = route.query?.(fixture) ?? {};
  const sampleBody = route.rawBody ? "plain file bytes" : route.body ? JSON.stringify(route.body(fixture)) : null;
  const valid: FuzzedRequest = {
    params,
    query: encodePairs(sampleQuery).join("&"),
    body: sampleBody,
    contentType: route.rawBody ? "application/octet-stream" : route.body ? "application/json" : null,
    origin: true,
  };
  const names = Object.keys(params);
  const sendsBody = route.method !== "GET";
  const options: fc.Arbitrary<FuzzedRequest>[] = [
    fc.constant(valid),
    queryArbitrary(sampleQuery).map((query) => ({ ...valid, query })),
    fc.constantFrom(...CONTENT_TYPES, null).map((contentType) => ({ ...valid, contentType })),
    hostileCookie.map((cookie) => ({ ...valid, cookie })),
  ];
  if (names.length) {
    options.push(fc.tuple(fc.constantFrom(...names), hostileSegment).map(([name, value]) => ({ ...valid, params: { ...params, [name]: value } })));
  }
  if (sendsBody) {
    options.push(bodyArbitrary(route, fixture).map((body) => ({ ...valid, body })));
    options.push(fc.constant({ ...valid, origin: false }));
  }
  return fc.oneof(...options);
}

function fill(raw: string, actor: Actor, ownMessage: () => Promise<number>): Promise<string> | string {
  // Placeholders in an encoded query arrive as %24name.
  let out = Object.values(LATE).reduce((text, placeholder) => text.replaceAll(enc(placeholder), placeholder), raw)
    .replaceAll(LATE.session, actor.sessionId)
    .replaceAll(LATE.uuid, () => crypto.randomUUID())
    .replaceAll(LATE.name, () => `fz${Math.random().toString(36).slice(2, 10)}`);
  if (!out.includes(LATE.ownMessage)) return out;
  return ownMessage().then((id) => (out = out.replaceAll(LATE.ownMessage, String(id))));
}

/** Sends `request` to `route` as `actor` through app.handle and returns the raw Response. */
export async function send(test: TestApp, fixture: Fixture, route: RouteCase, request: FuzzedRequest, actor: Actor): Promise<{ response: Response; what: string }> {
  if (route.reauth && actor.cookie) await test.store.write(markReauthenticated, { sessionId: actor.sessionId, now: Date.now() });
  let ownMessage: Promise<number> | null = null;
  const mine = () => (ownMessage ??= ownMessageId(test, fixture, actor));
  let path = route.path.replace(/\/$/, "");
  for (const [name, value] of Object.entries(request.params)) path = path.replace(`:${name}`, await fill(value, actor, mine));
  const query = request.query ? `?${await fill(request.query, actor, mine)}` : "";
  const headers = new Headers();
  if (request.origin) headers.set("origin", ORIGIN);
  const cookie = request.cookie ?? actor.cookie;
  if (cookie) headers.set("cookie", cookie);
  if (request.contentType !== null) headers.set("content-type", request.contentType);
  let body: string | Uint8Array | null = route.method === "GET" ? null : request.body;
  if (typeof body === "string") body = await fill(body, actor, mine);
  if (body !== null) headers.set("content-length", String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength));
  const url = BASE + path + query;
  const response = await test.app.handle(new Request(url, { method: route.method, headers, body: body as BodyInit | null }));
  const shownBody = body === null ? "" : ` ${typeof body === "string" ? body.slice(0, 120) : `<${body.byteLength} bytes>`}`;
  return { response, what: `${actor.kind} ${route.method} ${(path + query).slice(0, 200)} [${request.contentType}]${shownBody}` };
}
