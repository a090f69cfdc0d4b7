// Where the login page may send you next, and the invite token inside a pasted invite link.

/** Only paths of this app may be a "next" target: an open redirect would help phishing. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !/^\/(?![/\\])[\w\-/?=&#%.]*$/.test(next)) return "/chat";
  return next.startsWith("/login") || next.startsWith("/register") ? "/chat" : next;
}

/** The invite token from a pasted link (`…/register#invite=TOKEN` or `?invite=`) or a bare token. */
export function inviteToken(input: string): string {
  const trimmed = input.trim();
  const match = /[#?&]invite=([^&#\s]+)/.exec(trimmed);
  try {
    return decodeURIComponent(match ? match[1]! : trimmed);
  } catch {
    return match ? match[1]! : trimmed;
  }
}
