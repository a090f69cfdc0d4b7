// Whether a request names a URL at all. Bun builds `request.url` from the Host header, so a Host like
// "a@evil.example", "x/y", "a b", "" or "[::1" gives a url that `new URL()` rejects, and code that
// parses it throws before any error handler runs (issue 21, §5). Both listeners call requestUrl()
// first and answer 400 to anything it refuses, so nothing later ever parses a bad url.

// A host name (letters, digits, dots, hyphens, underscores) or a bracketed IPv6 literal, then an
// optional port. Stricter than RFC 3986's reg-name on purpose: no userinfo, no percent-encoding, no
// sub-delims, no list (two Host headers arrive merged as "a, b").
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::(\d{1,5}))?$/;

/** The request's URL, or null when its Host header or target cannot make one. */
export function requestUrl(request: Request): URL | null {
  const host = request.headers.get("host");
  // Without a Host header, a real connection's url is just the path (HTTP/1.0) and fails to parse
  // below; app.handle() in tests passes absolute urls and no Host, which is fine.
  if (host !== null) {
    const match = HOST.exec(host);
    if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) return null;
  }
  try {
    return new URL(request.url);
  } catch {
    return null;
  }
}

/** The path for logs and error handling; never throws, whatever the request looked like. */
export function safePath(request: Request): string {
  return requestUrl(request)?.pathname ?? "(malformed)";
}

export const MALFORMED_REQUEST = {
  error: "invalid_request",
  message: "The request's Host header or address is malformed.",
} as const;
