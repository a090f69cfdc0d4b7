// The optional plain-HTTP listener: it serves nothing but a 308 to the HTTPS address, and, with
// --domain, ACME's HTTP-01 challenge answers (acme/http-challenges.ts).
export interface ChallengeAnswers {
  answer(pathname: string): Response | null;
}

export function startRedirectServer(hostname: string, port: number, httpsPort: number, challenges?: ChallengeAnswers) {
  try {
    return Bun.serve({
      hostname,
      port,
      reusePort: false,
      fetch(request) {
        const url = new URL(request.url);
        const answer = challenges?.answer(url.pathname);
        if (answer) return answer;
        const host = (request.headers.get("host") ?? "localhost").replace(/:\d+$/, "");
        // Only a syntactically plain host name is reflected into the Location header.
        const safeHost = /^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(host) ? host : "localhost";
        const target = `https://${safeHost}${httpsPort === 443 ? "" : `:${httpsPort}`}${url.pathname}${url.search}`;
        return new Response(null, { status: 308, headers: { location: target, "cache-control": "no-store" } });
      },
    });
  } catch (error) {
    throw new Error(`cannot listen on ${hostname}:${port} for redirects: ${(error as Error).message}`);
  }
}
