// U+0000 in anything a client sends is refused at the edge (JSON bodies, socket frames, URLs), in
// both engines alike: Postgres text cannot hold it (SQLite can), and a statement failing on it
// inside a cluster's group commit aborts the whole batch, which is then redone post by post — one
// user's NULs would slow everyone's writes. Nobody needs it in chat text.
export const NUL_MESSAGE = "Text cannot contain the NUL character (U+0000).";

// JSON can only carry U+0000 as the escape \u0000 (raw control characters are invalid JSON); one
// preceded by an escaped backslash ("\\u0000", the six characters typed as text) is not one.
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

/** True when JSON text holds a U+0000 in one of its strings (or keys). */
export function jsonHasNul(json: string): boolean {
  return json.includes("\\u0000") && ESCAPED_NUL.test(json);
}

/** True when a URL's path or query decodes to a U+0000. */
export function urlHasNul(url: string): boolean {
  return url.includes("%00");
}
