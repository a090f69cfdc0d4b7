// Which push endpoints the server may POST to (src/push/endpoint-guard.ts): push endpoints come from
// browsers, so each is an untrusted URL. Only https, no credentials or fragment, and only a host whose
// every address is public: never loopback, private, link-local (cloud metadata), carrier-grade NAT,
// multicast or reserved space, nor the same addresses dressed as IPv6 (IPv4-mapped, NAT64). Each
// range is checked at both of its edges, with the public neighbours just outside.
import { describe, expect, test } from "bun:test";
import { checkEndpoint, checkEndpointForm, isPublicAddress, MAX_ENDPOINT_LENGTH, type Resolver } from "../../src/push/endpoint-guard.ts";

const NOT_PUBLIC = [
  // IPv4: this network, private, loopback, link-local, carrier-grade NAT, multicast and reserved.
  "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "127.0.0.1", "127.255.0.1", "169.254.169.254",
  "100.64.0.1", "100.127.255.254", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.254",
  "224.0.0.1", "239.255.255.250", "255.255.255.255",
  // IETF protocol assignments, documentation, 6to4 relay, benchmarking.
  "192.0.0.8", "192.0.2.1", "192.88.99.1", "198.18.0.1", "198.19.255.254", "198.51.100.7", "203.0.113.9",
  // IPv6: unspecified, loopback, link-local, unique local, multicast.
  "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
  // IPv4 inside IPv6 reaches the IPv4 address: loopback and metadata, mapped or through NAT64.
  "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:a00:1", "64:ff9b::10.0.0.1", "64:ff9b::7f00:1",
  // Only the NAT64 prefix carries an address inside; another prefix outside 2000::/3 is not public.
  "64:1::808:808",
  // Within 2000::/3: documentation, Teredo and other IETF assignments (2001::/23), 6to4.
  "2001:db8::1", "2001:0:4136:e378::1", "2001:1ff::1", "2002:808:808::1",
  // Not an address at all.
  "push.example", "",
];

const PUBLIC = [
  "8.8.8.8", "1.1.1.1", "52.95.110.1", "223.255.255.254",
  // The public neighbours of each range above.
  "9.255.255.255", "11.0.0.1", "100.63.255.254", "100.128.0.1", "169.253.0.1", "169.255.0.1",
  "172.15.255.254", "172.32.0.1", "192.167.0.1", "192.169.0.1", "192.0.1.1", "192.0.3.1", "192.88.98.1",
  "198.17.0.1", "198.20.0.1", "198.51.101.1", "203.0.114.1",
  // IPv6 global unicast, and a public IPv4 address mapped or through NAT64.
  "2606:4700::1111", "2001:4860:4860::8888", "2001:200::1", "2001:4860::ffff:a00:1", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
];

describe("a public address", () => {
  test.each(NOT_PUBLIC)("%p is not", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(PUBLIC)("%p is", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("an endpoint's form", () => {
  test("https only, without user name, password or fragment, and under the length cap; any port", () => {
    const refusals = ["http://push.example/x", "https://user@push.example/x", "https://:pw@push.example/x", "https://push.example/x#f", `https://push.example/${"x".repeat(1100)}`, "push.example/x"];
    expect(refusals.map((raw) => checkEndpointForm(raw).ok)).toEqual(refusals.map(() => false));
    expect(checkEndpointForm("https://push.example/x").ok).toBe(true);
    expect(checkEndpointForm("https://push.example:8443/x").ok).toBe(true);
  });

  test(`at most ${MAX_ENDPOINT_LENGTH} characters: exactly that many is taken, one more refused`, () => {
    const base = "https://push.example/";
    const of = (length: number) => base + "x".repeat(length - base.length);
    expect([checkEndpointForm(of(MAX_ENDPOINT_LENGTH)).ok, checkEndpointForm(of(MAX_ENDPOINT_LENGTH + 1)).ok]).toEqual([true, false]);
  });
});

describe("an endpoint, checked before each send", () => {
  const resolvingTo = (...addresses: string[]): Resolver => async () => addresses;

  test("is taken when every address its name resolves to is public, and says which addresses it checked", async () => {
    const verdict = await checkEndpoint("https://push.example/x", { allowPrivate: false, resolve: resolvingTo("8.8.8.8", "2606:4700::1111") });
    expect(verdict).toMatchObject({ ok: true, addresses: ["8.8.8.8", "2606:4700::1111"] });
  });

  test("is refused when any one address is not public, when the name does not resolve, or resolves to nothing", async () => {
    const check = (resolve: Resolver) => checkEndpoint("https://push.example/x", { allowPrivate: false, resolve });
    expect((await check(resolvingTo("8.8.8.8", "10.0.0.1"))).ok).toBe(false);
    expect((await check(resolvingTo())).ok).toBe(false);
    expect((await check(async () => Promise.reject(new Error("NXDOMAIN")))).ok).toBe(false);
  });

  test("an address written in the URL is checked as it is, without a lookup", async () => {
    const resolve: Resolver = async () => ["8.8.8.8"];
    expect((await checkEndpoint("https://127.0.0.1/x", { allowPrivate: false, resolve })).ok).toBe(false);
    expect((await checkEndpoint("https://[::ffff:127.0.0.1]/x", { allowPrivate: false, resolve })).ok).toBe(false);
    expect((await checkEndpoint("https://8.8.8.8/x", { allowPrivate: false, resolve: resolvingTo("10.0.0.1") })).ok).toBe(true);
  });

  test("--push-allow-private lifts the address rule only: the form is still checked", async () => {
    const options = { allowPrivate: true, resolve: resolvingTo("10.0.0.1") };
    expect((await checkEndpoint("https://push.internal/x", options)).ok).toBe(true);
    expect((await checkEndpoint("http://push.internal/x", options)).ok).toBe(false);
    expect((await checkEndpoint("http://push.internal/x", { ...options, allowPrivate: false })).ok).toBe(false);
  });
});
