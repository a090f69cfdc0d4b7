// TOTP as the server checks it (src/accounts/totp.ts): RFC 6238's published vector, the ±1 step
// window, and the replay guard (a step at or before the last one used is refused).
import { describe, expect, test } from "bun:test";
import { codeAt, describeSecret, matchCode, newTotpSecret, stepAt } from "../../src/accounts/totp.ts";

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", T = 59 s gives 94287082 (8 digits);
// with 6 digits that is its last six.
const RFC_SECRET = new TextEncoder().encode("12345678901234567890");

describe("TOTP codes", () => {
  test("match RFC 6238's test vector (6 digits of it)", () => {
    expect(codeAt(RFC_SECRET, 59_000)).toBe("287082");
    expect(codeAt(RFC_SECRET, 1111111109_000)).toBe("081804");
  });

  test("a code from the step before or after is accepted, one two steps away is not", () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    const step = stepAt(now);
    expect(matchCode(secret, codeAt(secret, now), 0, now)).toBe(step);
    expect(matchCode(secret, codeAt(secret, now - 30_000), 0, now)).toBe(step - 1);
    expect(matchCode(secret, codeAt(secret, now + 30_000), 0, now)).toBe(step + 1);
    expect(matchCode(secret, codeAt(secret, now - 60_000), 0, now)).toBeNull();
    expect(matchCode(secret, codeAt(secret, now + 60_000), 0, now)).toBeNull();
  });

  test("a code is used once: its step, and any before it, are refused after it", () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    const used = matchCode(secret, codeAt(secret, now), 0, now)!;
    expect(matchCode(secret, codeAt(secret, now), used, now)).toBeNull();
    expect(matchCode(secret, codeAt(secret, now - 30_000), used, now)).toBeNull();
    // The next step's code is still fine (it is newer).
    expect(matchCode(secret, codeAt(secret, now + 30_000), used, now)).toBe(used + 1);
  });

  test("anything but six digits is refused before any check; spaces are forgiven", () => {
    const secret = newTotpSecret();
    const now = Date.now();
    const code = codeAt(secret, now);
    expect(matchCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, 0, now)).not.toBeNull();
    for (const bad of ["", "12345", "1234567", "abcdef", "12345a", `${code}0`]) expect(matchCode(secret, bad, 0, now)).toBeNull();
  });

  test("the setup shows a 32-character base32 secret and an otpauth URI for the account", () => {
    const secret = newTotpSecret();
    expect(secret.length).toBe(20);
    const shown = describeSecret(secret, "alice");
    expect(shown.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(shown.uri).toBe(`otpauth://totp/VaultRoom:alice?issuer=VaultRoom&secret=${shown.secret}&algorithm=SHA1&digits=6&period=30`);
    // A server with a name is that name in the app, so two servers' entries tell themselves apart.
    const named = describeSecret(secret, "alice", "Acme chat");
    expect(named.uri).toBe(`otpauth://totp/Acme%20chat:alice?issuer=Acme%20chat&secret=${named.secret}&algorithm=SHA1&digits=6&period=30`);
  });
});
