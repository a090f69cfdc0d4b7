// The composer's @-mention suggestions (pure, for components/MentionAutocomplete.tsx and its tests):
// which `@word` the caret is in, and the room's members ranked for it — the best matches first.
import type { UserRef } from "./protocol.ts";

export interface MentionQuery {
  /** Where the `@` is, and where the word ends (the caret). */
  start: number;
  end: number;
  /** What was typed after the `@`. */
  text: string;
}

/** The `@word` being typed at `caret`, or null (an address like ann@x is not one). */
export function mentionAt(value: string, caret: number): MentionQuery | null {
  const before = value.slice(0, caret);
  const match = /(^|[^\p{L}\p{M}\p{Nd}_.@/\\-])@([\p{L}\p{M}\p{Nd}._-]{0,32})$/u.exec(before);
  if (!match) return null;
  const text = match[2]!;
  return { start: caret - text.length - 1, end: caret, text };
}

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * 0: the username starts with the text; 1: the display name does; 2: a word of the display name
 * does ("lov" finds "Ada Lovelace"); 3: either contains it; null: no match.
 */
export function matchRank(user: UserRef, text: string): number | null {
  const q = fold(text);
  const username = fold(user.username);
  const display = fold(user.displayName ?? "");
  if (username.startsWith(q)) return 0;
  if (display.startsWith(q)) return 1;
  if (display.split(/\s+/u).some((word) => word.startsWith(q))) return 2;
  if (username.includes(q) || display.includes(q)) return 3;
  return null;
}

/** Members matching `text`, best first (then by name), at most `limit`; never me, never deleted accounts. */
export function rankMembers(members: UserRef[], text: string, meId: number | undefined, limit = 8): UserRef[] {
  const collator = new Intl.Collator(undefined, { sensitivity: "base" });
  return members
    .filter((m) => m.id !== meId && !m.deleted)
    .map((user) => ({ user, rank: matchRank(user, text) }))
    .filter((entry): entry is { user: UserRef; rank: number } => entry.rank !== null)
    .sort((a, b) => a.rank - b.rank || collator.compare(a.user.displayName ?? a.user.username, b.user.displayName ?? b.user.username))
    .slice(0, limit)
    .map((entry) => entry.user);
}

/** The text with the `@word` replaced by `@username ` and where the caret goes after it. */
export function insertMention(value: string, query: MentionQuery, username: string): { value: string; caret: number } {
  const inserted = `@${username} `;
  const rest = value.slice(query.end).replace(/^\s/, "");
  return { value: value.slice(0, query.start) + inserted + rest, caret: query.start + inserted.length };
}
