// The cookie holds a JWT (HS256 pinned, issuer and expiry checked) naming a session and carrying its
// secret. A JWT alone cannot be revoked, so every use is checked against the sessions table too.
import { jwt } from "@elysiajs/jwt";
import { SESSION_IDLE_MS, TOKEN_ISSUER, type SessionTokens } from "./session-tokens.ts";

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
