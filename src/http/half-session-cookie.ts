// The half-session's cookie (accounts/half-sessions.ts): as locked down as the session cookie, named
// apart so that nothing but the second-factor routes ever reads it, and gone after 5 minutes.
import type { Cookie } from "elysia";
import { HALF_SESSION_COOKIE, HALF_SESSION_MS } from "../accounts/half-sessions.ts";

export function setHalfSessionCookie(cookie: Cookie<unknown>, token: string): void {
  cookie.set({ value: token, path: "/", secure: true, httpOnly: true, sameSite: "strict", maxAge: HALF_SESSION_MS / 1000 });
}

export function clearHalfSessionCookie(cookie: Cookie<unknown>): void {
  cookie.set({ value: "", path: "/", secure: true, httpOnly: true, sameSite: "strict", maxAge: 0 });
}

export const halfSessionToken = (cookie: Record<string, Cookie<unknown>>): string | undefined => {
  const value = cookie[HALF_SESSION_COOKIE]?.value;
  return typeof value === "string" && value ? value : undefined;
};
