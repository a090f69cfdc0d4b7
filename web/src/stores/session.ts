// Who is logged in, for this tab. `undefined` while the first "who am I" is in flight.
import { createSignal } from "solid-js";
import { ApiError, api, call, onUnauthorized } from "../api/http.ts";
import type { Me, RegistrationMode, SessionProbe } from "../api/types.ts";

const [me, setMe] = createSignal<Me | null | undefined>(undefined);
/** How strangers may join, as the last probe said; null until known. */
const [registrationMode, setRegistrationMode] = createSignal<RegistrationMode | null>(null);
/** The server's name (first-run setup, issue 19): login page and tab titles; null shows "VaultRoom". */
const [serverName, setServerName] = createSignal<string | null>(null);
export { me, registrationMode, serverName, setServerName };

const endedListeners = new Set<() => void>();

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
export function onSessionEnded(listener: () => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

export function sessionEnded(): void {
  if (me() === null) return;
  remember(null);
  setMe(null);
  for (const listener of endedListeners) listener();
}

onUnauthorized(sessionEnded);

/**
 * "Who am I" through /api/auth/session, which answers 200 with `user: null` to a stranger: /api/me's
 * 401 would show in the browser console as a failed request on every logged-out visit.
 */
function probe(): Promise<SessionProbe> {
  return call(api.auth.session.get());
}

export async function loadMe(): Promise<Me | null> {
  try {
    const { user, registrationMode, serverName } = await probe();
    setRegistrationMode(registrationMode);
    remember(user);
    setServerName(serverName ?? null);
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
    if (user === null) sessionEnded();
  } catch {
    // Unreachable server: the socket's own retries go on; nothing is known about the session.
  }
}

export function signedIn(user: Me): void {
  remember(user);
  setMe(user);
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
