// HTTP-01 (RFC 8555 section 8.3): the ACME server fetches
// http://NAME/.well-known/acme-challenge/TOKEN on port 80 and expects the key authorization as the body.
// The redirect listener asks here before redirecting (http/redirect.ts).
const PREFIX = "/.well-known/acme-challenge/";

export class HttpChallenges {
  private readonly answers = new Map<string, string>();

  add(token: string, keyAuthorization: string): void {
    this.answers.set(token, keyAuthorization);
  }

  remove(token: string): void {
    this.answers.delete(token);
  }

  /** The response for a challenge path, or null for every other path (which gets the usual redirect). */
  answer(pathname: string): Response | null {
    if (!pathname.startsWith(PREFIX)) return null;
    const body = this.answers.get(pathname.slice(PREFIX.length));
    const headers = { "content-type": "text/plain", "cache-control": "no-store" };
    return body === undefined ? new Response("no such challenge\n", { status: 404, headers }) : new Response(body, { headers });
  }
}
