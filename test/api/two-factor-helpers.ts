// Shared steps for the two-factor API tests: enrolling TOTP through the routes and computing codes
// from the secret the setup answered with, at a clock the test moves (every node's clock in cluster
// mode), so each login gets a time step of its own without waiting 30 s.
import type { Accounts } from "../../src/accounts/accounts.ts";
import type { RecoveryCodesResponse, TotpSetupResponse } from "../../src/accounts/types.ts";
import { Secret, TOTP } from "otpauth";
import { cookieFrom, type TestApp } from "../support/app.ts";
import { PASSWORD } from "./accounts-helpers.ts";

/** Every node's accounts service (one on SQLite, two in cluster mode). */
export const allAccounts = (app: TestApp): Accounts[] => app.nodes.map((node) => node.decorator.services.accounts);

/** A shared test clock: starts now, moves only when told. */
export function testClock(app: TestApp) {
  let now = Date.now();
  for (const accounts of allAccounts(app)) accounts.clock = { now: () => now };
  return {
    now: () => now,
    /** Moves to the next 30 s step (and a little into it). */
    nextStep() {
      now = (Math.floor(now / 30_000) + 1) * 30_000 + 1_000;
      return now;
    },
    advance(ms: number) {
      now += ms;
      return now;
    },
  };
}

export const codeFor = (secret: string, at: number) =>
  new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at });

/** Turns TOTP on for the session (which must be freshly authenticated); returns the secret and codes. */
export async function enrolTotp(app: TestApp, cookie: string, clock: { now(): number }) {
  const setup = (await (await app.request("/api/account/totp/setup", { method: "POST", cookie })).json()) as TotpSetupResponse;
  const response = await app.request("/api/account/totp/enable", { json: { code: codeFor(setup.secret, clock.now()) }, cookie });
  if (response.status !== 200) throw new Error(`enable: ${response.status} ${await response.text()}`);
  const { recoveryCodes } = (await response.json()) as RecoveryCodesResponse;
  return { secret: setup.secret, uri: setup.uri, recoveryCodes };
}

/** The password step: the answer, and the half-session cookie it set (if any). */
export async function passwordStep(app: TestApp, username: string, password = PASSWORD) {
  const response = await app.request("/api/auth/login", { json: { username, password } });
  const cookies = response.headers.getSetCookie();
  const half = cookies.map((c) => c.split(";")[0]!).find((c) => c.startsWith("__Host-vaultroom_2fa=") && !c.endsWith("="));
  return { response, half: half ?? "", body: (await response.json()) as Record<string, unknown>, cookies };
}

export async function secondStep(app: TestApp, half: string, code: string) {
  const response = await app.request("/api/auth/second-factor", { json: { code }, cookie: half });
  return { response, cookie: response.status === 200 ? cookieFrom(response) : "" };
}

/** Login buckets roomy enough for a test file's many logins from one address (the limits have tests of their own). */
export const ROOMY_LIMITS = {
  authLimits: {
    loginPerIp: { capacity: 1000, refillPerSecond: 100 },
    loginPerUser: { capacity: 1000, refillPerSecond: 100 },
    registerPerIp: { capacity: 1000, refillPerSecond: 100 },
    registerPerUsername: { capacity: 1000, refillPerSecond: 100 },
  },
};
