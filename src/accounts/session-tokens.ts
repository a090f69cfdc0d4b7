// The cookie holds a JWT (HS256 pinned, issuer and expiry checked) naming a session and carrying its
// secret. A JWT alone cannot be revoked, so every use is checked against the sessions table too.
import { jwt } from "@elysiajs/jwt";

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

export function createSessionTokens(secretKey: string): SessionTokens {
  const signer = jwt({
    name: "sessionJwt",
    secret: secretKey,
    alg: "HS256",
    iss: TOKEN_ISSUER,
    exp: `${SESSION_IDLE_MS / 1000}s`,
  }).decorator.sessionJwt;
  return {
    sign: (claims) => signer.sign(claims),
    async verify(token) {
      if (!token || token.length > 1024) return null;
      const payload = await signer.verify(token, {
        algorithms: ["HS256"],
        issuer: TOKEN_ISSUER,
        requiredClaims: ["exp", "iat"],
      });
      if (!payload || typeof payload.sid !== "string" || typeof payload.sec !== "string") return null;
      return { sid: payload.sid, sec: payload.sec, iat: Number(payload.iat) };
    },
  };
}
