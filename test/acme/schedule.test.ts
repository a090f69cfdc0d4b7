import { describe, expect, test } from "bun:test";
import { chooseChallenge } from "../../src/acme/challenge-choice.ts";
import { rateLimitWait } from "../../src/acme/failures.ts";
import { MAX_RETRY_MS, renewalTime, retryDelay, runAt } from "../../src/acme/schedule.ts";

describe("when VaultRoom talks to the ACME server", () => {
  test("renews at two thirds of the lifetime: day 60 of a 90-day certificate", () => {
    const start = new Date("2026-01-01T00:00:00Z");
    expect(renewalTime(start, new Date("2026-04-01T00:00:00Z")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });

  test("after failures waits --acme-retry, doubling, never more than an hour apart", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, 600) / 60_000)).toEqual([10, 20, 40, 60, 60]);
    expect(retryDelay(1000, 600)).toBe(MAX_RETRY_MS);
    // At most 4 attempts in the first hour with the default: 0, 10, 30 and (at 70 min) the next.
    expect([1, 2, 3].map((n) => retryDelay(n, 1) / 1000)).toEqual([1, 2, 4]);
  });

  test("a rate-limited answer waits at least an hour, or until the time the CA names", () => {
    expect(rateLimitWait("Cannot negotiate ALPN protocol")).toBe(0);
    expect(rateLimitWait("too many failed authorizations recently")).toBe(MAX_RETRY_MS);
    const later = new Date(Date.now() + 5 * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
    const wait = rateLimitWait(`too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s, retry after ${later}`);
    expect(wait).toBeGreaterThan(4.9 * 3600_000);
    expect(wait).toBeLessThanOrEqual(5 * 3600_000);
  });

  test("a wait longer than setTimeout's limit (~24.8 days) does not fire at once", async () => {
    let fired = false;
    const timer = runAt(new Date(Date.now() + 60 * 24 * 3600_000), () => (fired = true));
    await Bun.sleep(20);
    timer.cancel();
    expect(fired).toBe(false);
    await new Promise<void>((resolve) => runAt(new Date(Date.now() - 1000), resolve));
  });
});

describe("which challenge answers", () => {
  const choose = (port: number, redirectPort: number | null, challenge: "http-01" | "tls-alpn-01" | null = null) =>
    chooseChallenge({ port, redirectPort, acme: { challenge } });

  test("port 443 answers TLS-ALPN-01 on the HTTPS listener itself", () => {
    expect(choose(443, null)).toMatchObject({ challenge: "tls-alpn-01", otherReason: expect.stringContaining("no --redirect-port") });
    expect(choose(443, 80).challenge).toBe("tls-alpn-01");
  });

  test("a redirect listener on 80 answers HTTP-01 when HTTPS is elsewhere, and says why not TLS-ALPN-01", () => {
    expect(choose(8443, 80)).toMatchObject({ challenge: "http-01", otherReason: expect.stringContaining("VaultRoom listens on 8443") });
  });

  test("other ports assume a forward; --acme-challenge decides when asked", () => {
    expect(choose(8443, 8080).challenge).toBe("http-01");
    expect(choose(8443, null).challenge).toBe("tls-alpn-01");
    expect(choose(8443, 8080, "tls-alpn-01").challenge).toBe("tls-alpn-01");
    expect(choose(443, 8080, "http-01").challenge).toBe("http-01");
  });
});
