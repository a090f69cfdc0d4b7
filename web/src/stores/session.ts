// Who is logged in, for this tab. `undefined` while the first "who am I" is in flight.
import { createSignal } from "solid-js";
import { http, onUnauthorized } from "../api/http.ts";
import type { Me, UserResponse } from "../api/types.ts";

const [me, setMe] = createSignal<Me | null | undefined>(undefined);
export { me };

const endedListeners = new Set<() => void>();

/** Runs when the session ends by any route: logout here or elsewhere, revoked, expired, disabled. */
export function onSessionEnded(listener: () => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

export function sessionEnded(): void {
  if (me() === null) return;
  setMe(null);
  for (const listener of endedListeners) listener();
}

onUnauthorized(sessionEnded);

export async function loadMe(): Promise<Me | null> {
  try {
    const { user } = await http.get<UserResponse>("/api/me", { expectUnauthorized: true });
    setMe(user);
    return user;
  } catch {
    setMe(null);
    return null;
  }
}

export function signedIn(user: Me): void {
  setMe(user);
}

export function updateMe(patch: Partial<Me>): void {
  const current = me();
  if (current) setMe({ ...current, ...patch });
}

/** Logged out from this tab: no "your session ended" notice, just back to the login page. */
export function signedOut(): void {
  setMe(null);
}
