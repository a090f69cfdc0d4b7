// The session cookie's name, lifetimes and claims. The JWT itself is made and checked in
// session-jwt.ts: this file stays free of Elysia, so the SQLite writer thread (whose commands need
// SESSION_IDLE_MS) does not load the web framework at every start.

export const SESSION_COOKIE = "__Host-vaultroom_session";
export const TOKEN_ISSUER = "vaultroom";
/** A session ends after this long without use (sliding expiry). */
export const SESSION_IDLE_MS = 30 * 24 * 3600_000;
/** Tokens are re-issued when older than this, so the cookie's expiry slides with use. */
export const TOKEN_REFRESH_MS = 24 * 3600_000;

export interface TokenClaims {
  sid: string;
  sec: string;
  iat: number;
}

export interface SessionTokens {
  sign(claims: { sid: string; sec: string }): Promise<string>;
  verify(token: string | undefined): Promise<TokenClaims | null>;
}
