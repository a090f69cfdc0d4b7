// Messages typed but not yet acknowledged survive a reload of this tab: they are kept in
// sessionStorage (this tab only, gone when it closes or at logout) and sent again with their
// clientId, which the server stores once.
import type { PendingMessage } from "../chat/state-types.ts";
import { MAX_MESSAGE_LENGTH } from "../chat/protocol.ts";

const MAX_KEPT = 100;
const key = (userId: number) => `vaultroom.pending.${userId}`;

function isPending(value: unknown): value is PendingMessage {
  const p = value as PendingMessage;
  return (
    typeof p === "object" && p !== null &&
    typeof p.clientId === "string" && /^[0-9a-f-]{36}$/i.test(p.clientId) &&
    Number.isSafeInteger(p.roomId) && p.roomId > 0 &&
    typeof p.body === "string" && p.body.length > 0 && p.body.length <= MAX_MESSAGE_LENGTH &&
    typeof p.createdAt === "number"
  );
}

export function loadPending(userId: number): PendingMessage[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key(userId)) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(isPending)
      .slice(0, MAX_KEPT)
      .map((p) => ({
        clientId: p.clientId,
        roomId: p.roomId,
        body: p.body,
        createdAt: p.createdAt,
        status: "sending" as const,
        ...(Number.isSafeInteger(p.threadRootId) && p.threadRootId! > 0 ? { threadRootId: p.threadRootId, alsoToRoom: p.alsoToRoom === true } : {}),
        ...(p.quote && Number.isSafeInteger(p.quote.id) ? { quote: p.quote } : {}),
      }));
  } catch {
    return [];
  }
}

export function savePending(userId: number, pending: readonly PendingMessage[]): void {
  try {
    if (pending.length === 0) sessionStorage.removeItem(key(userId));
    else sessionStorage.setItem(key(userId), JSON.stringify(pending.slice(0, MAX_KEPT).map(({ error: _, ...p }) => p)));
  } catch {
    // Storage full or unavailable: the messages still go out while this tab stays open.
  }
}

export function clearPending(userId: number): void {
  try {
    sessionStorage.removeItem(key(userId));
  } catch {
    // nothing kept
  }
}
