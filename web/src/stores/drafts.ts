// What I was typing, per room and per thread, across room switches and reloads of this tab. Kept in
// sessionStorage (this tab only, gone when it closes) under the account's id, and removed at logout:
// another account on a shared computer never reads them.
import { MAX_MESSAGE_LENGTH } from "../chat/protocol.ts";

const MAX_DRAFTS = 200;
const key = (userId: number) => `vaultroom.drafts.${userId}`;
/** A room's composer, or a thread's. */
export const draftKey = (roomId: number, threadRootId?: number) => (threadRootId === undefined ? `r${roomId}` : `t${threadRootId}`);

let owner: number | null = null;
let drafts = new Map<string, string>();

export function loadDrafts(userId: number): void {
  owner = userId;
  drafts = new Map();
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key(userId)) ?? "{}");
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      for (const [name, text] of Object.entries(parsed)) {
        if (/^[rt]\d{1,16}$/.test(name) && typeof text === "string" && text.length <= MAX_MESSAGE_LENGTH) drafts.set(name, text);
      }
    }
  } catch {
    // Nothing kept, or unreadable: start empty.
  }
}

export function draftOf(name: string): string {
  return drafts.get(name) ?? "";
}

export function saveDraft(name: string, text: string): void {
  if (text) drafts.set(name, text);
  else drafts.delete(name);
  while (drafts.size > MAX_DRAFTS) drafts.delete(drafts.keys().next().value!);
  if (owner === null) return;
  try {
    if (drafts.size === 0) sessionStorage.removeItem(key(owner));
    else sessionStorage.setItem(key(owner), JSON.stringify(Object.fromEntries(drafts)));
  } catch {
    // Storage full or unavailable: the draft still lives while this tab is open.
  }
}

/** At logout: nothing typed stays behind in this browser. */
export function clearDrafts(userId: number): void {
  drafts = new Map();
  owner = null;
  try {
    sessionStorage.removeItem(key(userId));
  } catch {
    // nothing kept
  }
}
