// fast-check generators for what an attacker sends instead of what a client would: wrong types, huge
// and negative numbers, number-like strings, deep nesting, prototype-pollution keys, unicode edge
// cases, oversized strings and arrays where objects belong; and mutations of a valid request that
// change exactly one thing about it, so the request gets past everything but that one check.
import fc from "fast-check";

/** Runs per property: FUZZ_RUNS overrides the quick default for a longer run (e.g. FUZZ_RUNS=20000). */
export function fuzzRuns(quick: number): number {
  const wanted = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(wanted) && wanted > 0 ? wanted : quick;
}

/** fast-check parameters: FUZZ_SEED replays the run a failure reported. */
export function fuzzParameters(quickRuns: number): fc.Parameters<unknown> {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: fuzzRuns(quickRuns), ...(Number.isInteger(seed) ? { seed } : {}), endOnFailure: true };
}

/** Milliseconds a fuzz test may take: generous per run, so a longer FUZZ_RUNS run is not cut short. */
export function fuzzTimeout(quickRuns: number, msPerRun: number): number {
  return 30_000 + fuzzRuns(quickRuns) * msPerRun;
}

export const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const trickyChar = fc.constantFrom(
  "\u0000", "\u0007", "\b", "\r\n", "\u001b[31m", "\u007f", "\u0085", "\u00a0", "\u00ad", "\u061c", "\u200b", "\u200d",
  "\u200e", "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff", "\u{10ffff}",
  "\u{1f600}", "\u{1f469}\u200d\u{1f469}\u200d\u{1f467}", "e\u0301", "\u0130", "\u00df", "\ufb01", "\u3000",
  "𝕏", "ℌ", "\u0430", "\\", '"', "'", "`", "<", ">", "&", "%", "%00", "%2e%2e%2f", "../", "..\\", "/", "$", "{", "}",
);

/** Strings that look like something else: numbers, keywords, injection, paths, markup. */
const deceptiveString = fc.constantFrom(
  "", " ", "\t", "0", "-0", "-1", "1.5", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "-Infinity", "0x10", "0b11", "0o7",
  "1_000", "9007199254740993", "18446744073709551616", "00000000001", " 1", "1 ", "+1", "１", "null", "undefined", "true",
  "false", "[]", "{}", "[object Object]", "__proto__", "constructor", "prototype", "toString", "' OR 1=1 --",
  '"; DROP TABLE users; --', "1 UNION SELECT username, password_hash FROM users", "%", "_", "\\", "../../etc/passwd",
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "${7*7}", "{{7*7}}",
  "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: deceptiveString, weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: fc.oneof(trickyChar, loneSurrogate, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 30 }), weight: 3 },
  // Past every field's limit; some past the 64 KiB body limit too.
  { arbitrary: fc.tuple(fc.constantFrom("a", "é", "\u{1f600}", "\u0000", "<"), fc.constantFrom(257, 1025, 4001, 20_000, 70_000)).map(([c, n]) => c.repeat(n)), weight: 1 },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 0.1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e308, -1e308),
  fc.integer(),
  fc.double(), // NaN and ±Infinity serialise as null
);

/** Nested `depth` levels deep: [[[...]]] or {"a":{"a":...}}. */
export function nested(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

/** An object with an own key that plain object literals would treat as the prototype. */
export function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

// Up to what fits in 64 KiB: 32,000 levels of [] or 10,800 of {"a":}.
const deep = fc.oneof(
  fc.integer({ min: 20, max: 32_000 }).map((n) => nested(n, "array")),
  fc.integer({ min: 20, max: 10_800 }).map((n) => nested(n, "object")),
);

const protoObject = fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) =>
  withOwnKey({ isAdmin: true, polluted: "yes" }, key, withOwnKey({ isAdmin: true, polluted: "yes" }, "__proto__", value)),
);

/** Any value a JSON field could be given instead of the right one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: hostileNumber, weight: 4 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [1], ["1"], [null], { "0": 1 }), weight: 2 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: protoObject, weight: 1 },
  { arbitrary: fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 8 }), weight: 1 },
  { arbitrary: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 50, maxLength: 400 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

type Json = Record<string, unknown>;

/** Deep copy through JSON, so own `__proto__` keys survive and nothing is shared with the sample. */
const copy = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;

/**
 * A valid JSON body, or a copy of it with one thing changed: one field given a hostile value, one
 * field removed, one extra (possibly prototype) key, or the whole body replaced.
 */
export function mutatedBody(valid: Json): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const someKey = keys.length ? fc.constantFrom(...keys) : fc.constant("x");
  return fc.oneof(
    { arbitrary: fc.constant(valid), weight: 2 },
    { arbitrary: fc.tuple(someKey, hostileValue).map(([key, value]) => withOwnKey(copy(valid), key, value)), weight: 8 },
    { arbitrary: someKey.map((key) => { const body = copy(valid); delete body[key]; return body; }), weight: 1 },
    {
      arbitrary: fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 10 })), hostileValue).map(([key, value]) => withOwnKey(copy(valid), key, value)),
      weight: 2,
    },
    { arbitrary: fc.constantFrom<unknown>([valid], [], "", 0, null, true, keys), weight: 1 },
    { arbitrary: hostileValue, weight: 2 },
  );
}

/** JSON text damaged after serialising: cut short, a character inserted or replaced, or duplicated keys. */
export function damagedText(text: string): fc.Arbitrary<string> {
  const at = fc.integer({ min: 0, max: Math.max(0, text.length) });
  const junk = fc.oneof(trickyChar, fc.constantFrom(",", ":", "[", "]", "{", "}", '"', "\\u", "\\ud800", "NaN", "1e999", "\u0000"));
  return fc.oneof(
    at.map((i) => text.slice(0, i)),
    fc.tuple(at, junk).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(at, junk).map(([i, s]) => text.slice(0, i) + s + text.slice(i + 1)),
    fc.constant(text.startsWith("{") ? `${text.slice(0, -1)},${text.slice(1)}` : text + text),
    fc.constant("\ufeff" + text),
  );
}
