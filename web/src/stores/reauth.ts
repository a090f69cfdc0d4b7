// Sensitive actions answer `reauth_required` when this session has not proved its password (or a
// passkey) in the last 5 minutes. withReauth() runs an action; on that answer it asks (ReauthDialog)
// and, once confirmed, runs the action again. The dialog is the one place that asks.
import { createSignal } from "solid-js";
import { ApiError } from "../api/http.ts";

interface Pending {
  resolve: (confirmed: boolean) => void;
}

const [pending, setPending] = createSignal<Pending | null>(null);
export { pending as reauthPending };

export function answerReauth(confirmed: boolean): void {
  const current = pending();
  setPending(null);
  current?.resolve(confirmed);
}

function ask(): Promise<boolean> {
  pending()?.resolve(false);
  return new Promise((resolve) => setPending({ resolve }));
}

/** Runs `action`, asking for a re-authentication once if the server wants one. Null: the person cancelled. */
export async function withReauth<T>(action: () => Promise<T>): Promise<T | null> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "reauth_required") throw error;
    if (!(await ask())) return null;
    return action();
  }
}
