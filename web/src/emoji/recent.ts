// The emoji I used most recently (reactions and the picker), newest first: the quick-react bar shows
// the first six and the picker a "recently used" row. Kept per account in localStorage: it is not
// secret, and the same browser profile should keep its habits across logins.
import { createSignal } from "solid-js";
import { canonicalEmoji } from "../../../src/protocol/emoji.ts";

const KEEP = 24;
/** Offered until I have used six of my own. */
export const DEFAULT_QUICK = ["👍", "❤️", "😂", "🎉", "😮", "🙏"];

const key = (userId: number) => `vaultroom.recentEmoji.${userId}`;
const [recent, setRecent] = createSignal<string[]>([]);
let owner: number | null = null;

export { recent };

export function loadRecent(userId: number): void {
  owner = userId;
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? "[]");
    setRecent(Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === "string" && canonicalEmoji(e) === e).slice(0, KEEP) : []);
  } catch {
    setRecent([]);
  }
}

export function useEmoji(emoji: string): void {
  const next = [emoji, ...recent().filter((e) => e !== emoji)].slice(0, KEEP);
  setRecent(next);
  if (owner === null) return;
  try {
    localStorage.setItem(key(owner), JSON.stringify(next));
  } catch {
    // Not remembered; the reaction itself went out.
  }
}

/** The six emoji of the quick-react bar: mine first, then the defaults. */
export function quickReactions(): string[] {
  return [...new Set([...recent(), ...DEFAULT_QUICK])].slice(0, 6);
}
