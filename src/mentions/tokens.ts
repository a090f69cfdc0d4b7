// Finding `@name` tokens in a message's text (pure, no database): what the server then looks up
// among the room's members (resolve.ts). Text in code (`inline` or fenced) mentions nobody, as it
// is shown verbatim; an address like ada@example.org is no mention (a letter stands before the @).
import { MAX_MENTION_TOKENS } from "../protocol.ts";
import { usernameKey, usernameSkeleton } from "../accounts/usernames.ts";

/** `@room`: everyone in the room (resolve.ts decides who may use it). */
export const ROOM_TOKEN = "room";

export interface MentionTokens {
  /** Candidate username keys (NFKC, lower case), at most MAX_MENTION_TOKENS. */
  keys: string[];
  /** Their confusable skeletons: "@pаypal" (Cyrillic а) finds the one user it looks like. */
  skeletons: string[];
  /** `@room` was written. */
  room: boolean;
}

const FENCED = /```[\s\S]*?(?:```|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;
// A name starts with a letter or digit, then letters, marks, digits, dots, underscores, hyphens (the
// username alphabet, accounts/usernames.ts). What stands before the @ must not be part of a word.
const TOKEN = /(?<![\p{L}\p{M}\p{Nd}_.@/\\-])@([\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}._-]*)/gu;

export function mentionTokens(body: string): MentionTokens {
  const found = new Set<string>();
  let room = false;
  if (!body.includes("@")) return { keys: [], skeletons: [], room };
  const text = body.replace(FENCED, " ").replace(INLINE_CODE, " ");
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[1]!;
    // "@bob." at the end of a sentence means bob; a username may still end in a dot, so both are tried.
    const trimmed = raw.replace(/[._-]+$/u, "");
    for (const name of new Set([raw, trimmed])) {
      if (!name) continue;
      const key = usernameKey(name);
      if (key === ROOM_TOKEN) {
        room = true;
        continue;
      }
      if (found.size < MAX_MENTION_TOKENS) found.add(key);
    }
    if (found.size >= MAX_MENTION_TOKENS) break;
  }
  const keys = [...found];
  return { keys, skeletons: [...new Set(keys.map(usernameSkeleton))], room };
}
