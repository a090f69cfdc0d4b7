// Who is logged in, for this tab. `undefined` while the first "who am I" is in flight.
import { createSignal } from "solid-js";
import { ApiError, api, call, onUnauthorized } from "../api/http.ts";
import type { Me, RegistrationMode, SessionProbe } from "../api/types.ts";

const [me, setMe] = createSignal<Me | null | undefined>(undefined);
/** How strangers may join, as the last probe said; null until known. */
const [registrationMode, setRegistrationMode] = createSignal<RegistrationMode | null>(null);
/** The server's name (first-run setup, issue 19): login page and tab titles; null shows "VaultRoom". */
const [serverName, setServerName] = createSignal<string | null>(null);
/** The admin's policy wants a second factor this account lacks: logins left (0: enrol now). */
const [enrolment, setEnrolment] = createSignal<{ graceLoginsLeft: number } | null>(null);
export { me, registrationMode, serverName, setServerName, enrolment };

/**
 * Why a session ended, as the server's socket close frame says (src/ws/broadcast.ts: TOLD_REASONS);
 * "ended" when it does not say (expired, logged out elsewhere, revoked).
 */
export type SessionEndReason = "account_disabled" | "account_deleted" | "password_reset" | "ended";
const TOLD: readonly SessionEndReason[] = ["account_disabled", "account_deleted", "password_reset"];

/** The reason a close frame (or a URL) carries, anything unknown read as plain "ended". */
export function sessionEndReason(raw: string | null | undefined): SessionEndReason {
  return TOLD.find((reason) => reason === raw) ?? "ended";
}

const endedListeners = new Set<(reason: SessionEndReason) => void>();

// The installed app starting offline (issue 12): who was logged in here last is remembered, so the
// chat opens from the service worker's shell with its reconnect banner instead of the login page.
// Only the account's public fields; forgotten at logout or when the session ends.
const REMEMBERED = "vaultroom.me";
function remember(user: Me | null): void {
  try {
    if (user) localStorage.setItem(REMEMBERED, JSON.stringify(user));
    else localStorage.removeItem(REMEMBERED);
  } catch {
    // Not remembered: an offline start shows the login page.
  }
}
function remembered(): Me | null {
  try {
    const raw = localStorage.getItem(REMEMBERED);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

/** Runs when the session ends by any route: logout here or elsewhere, revoked, expired, disabled. */
export function onSessionEnded(listener: (reason: SessionEndReason) => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

export function sessionEnded(reason: SessionEndReason = "ended"): void {
  if (me() === null) return;
  remember(null);
  setMe(null);
  for (const listener of endedListeners) listener(reason);
}

onUnauthorized(() => sessionEnded());

/**
 * "Who am I" through /api/auth/session, which answers 200 with `user: null` to a stranger: /api/me's
 * 401 would show in the browser console as a failed request on every logged-out visit.
 */
function probe(): Promise<SessionProbe> {
  return call(api.auth.session.get());
}

export async function loadMe(): Promise<Me | null> {
  try {
    const { user, registrationMode, serverName, enrolment } = await probe();
    setRegistrationMode(registrationMode);
    remember(user);
    setServerName(serverName ?? null);
    setEnrolment(enrolment ?? null);
    setMe(user);
    return user;
  } catch (error) {
    // The server is out of reach (offline): go on as who was logged in here, and ask again once back.
    const last = error instanceof ApiError && error.code === "network" ? remembered() : null;
    if (last) {
      setMe(last);
      window.addEventListener("online", () => void recheckSession(), { once: true });
      return last;
    }
    setMe(null);
    return null;
  }
}

/** The socket keeps failing: ask whether the session still holds, and end it here if not. */
export async function recheckSession(): Promise<void> {
  try {
    const { user, registrationMode } = await probe();
    setRegistrationMode(registrationMode);
    if (user === null) sessionEnded("ended");
  } catch {
    // Unreachable server: the socket's own retries go on; nothing is known about the session.
  }
}

/**
 * Logged in just now. The session probe says first whether the admin's policy wants a second factor
 * (then the dashboard's enrolment comes before the chat, whose socket such a session may not open).
 */
export async function signedIn(user: Me): Promise<void> {
  remember(user);
  try {
    setEnrolment((await probe()).enrolment ?? null);
  } catch {
    // Unknown: the routes' own answers will say.
  }
  setMe(user);
}

/** A second factor was just set up: nothing is asked any more. */
export function enrolled(): void {
  setEnrolment(null);
}

export function updateMe(patch: Partial<Me>): void {
  const current = me();
  if (!current) return;
  remember({ ...current, ...patch });
  setMe({ ...current, ...patch });
}

/** Logged out from this tab: no "your session ended" notice, just back to the login page. */
export function signedOut(): void {
  remember(null);
  setMe(null);
}
