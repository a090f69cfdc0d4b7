// How deeply a JSON text nests, measured on the text before it is parsed. No request of ours nests
// more than a few levels, but a 64 KiB body can nest 32,000 deep, and turning such a value back into
// text (Elysia's validation error does, with JSON.stringify) took a second of the event loop per
// request: a cheap way to stall the server for everyone. Deeper bodies are refused unread.
export const MAX_JSON_DEPTH = 32;

/** True when `text` opens more than `max` arrays/objects inside one another (strings are skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
