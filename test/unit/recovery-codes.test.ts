// Recovery codes (src/accounts/recovery-codes.ts): ten, distinct, 60 bits each, forgiving to type,
// stored only as hashes.
import { describe, expect, test } from "bun:test";
import { hashRecoveryCode, isRecoveryCodeShape, newRecoveryCodes, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from "../../src/accounts/recovery-codes.ts";

describe("recovery codes", () => {
  test("a set is ten distinct codes of three groups of four, from 32 symbols without i, l, o, u", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-tv-z0-9]{4}-[a-hjkmnp-tv-z0-9]{4}-[a-hjkmnp-tv-z0-9]{4}$/);
  });

  test("every symbol turns up (no bias toward part of the alphabet)", () => {
    const seen = new Set(Array.from({ length: 200 }, () => newRecoveryCodes().join("")).join("").replaceAll("-", ""));
    expect(seen.size).toBe(32);
  });

  test("case, spaces and dashes do not matter; the hash is of the normalised code", () => {
    const [code] = newRecoveryCodes();
    const variants = [code!, code!.toUpperCase(), code!.replaceAll("-", ""), code!.replaceAll("-", " "), ` ${code} `];
    for (const typed of variants) {
      expect(normaliseRecoveryCode(typed)).toBe(code!.replaceAll("-", ""));
      expect(isRecoveryCodeShape(typed)).toBe(true);
      expect(Buffer.from(hashRecoveryCode(typed)).equals(Buffer.from(hashRecoveryCode(code!)))).toBe(true);
    }
    expect(isRecoveryCodeShape("123456")).toBe(false);
    expect(Buffer.from(hashRecoveryCode(code!)).toString("hex")).not.toContain(Buffer.from(code!).toString("hex"));
  });

  test("a new set shares no code with the old one", () => {
    const old = new Set(newRecoveryCodes());
    expect(newRecoveryCodes().filter((code) => old.has(code))).toEqual([]);
  });
});
