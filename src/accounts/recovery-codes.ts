// Recovery codes: ten per account, shown once, each usable once in place of the second factor.
// 12 symbols from a 32-symbol alphabet (60 bits), grouped by four to read out: lower-case letters
// without i, l, o (which pass for 1 and 0) and u, plus the ten digits.
// Only SHA-256 of the normalised code is stored: the codes are random, so a slow hash would add
// nothing (a guess online meets the login limits; offline, 2^60 tries buys only the second factor,
// still behind the argon2id password).
const SYMBOLS = "abcdefghjkmnpqrstvwxyz0123456789";
export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCode(): string {
  // 32 symbols: every byte's low five bits pick one without bias.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = [...bytes].map((b) => SYMBOLS[b & 31]!);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

export function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
  return [...codes];
}

/** Case, spaces and dashes do not matter when typing a code back. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]+/g, "");
}

/** Looks like a recovery code (and not a 6-digit TOTP code). */
export const isRecoveryCodeShape = (input: string) => /^[a-z0-9]{12}$/.test(normaliseRecoveryCode(input));

export const hashRecoveryCode = (input: string): Uint8Array =>
  new Uint8Array(new Bun.CryptoHasher("sha256").update(normaliseRecoveryCode(input)).digest());
