// The one attribute a message may set is a link's href: only http(s) and mailto URLs, as the browser
// itself would read them, get through.
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The href to use for a link target, or null when it is not an http(s) or mailto URL. */
export function safeHref(raw: string): string | null {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so the
  // check is made on what the browser would see, after parsing with the URL parser itself.
  const trimmed = raw.trim();
  if (!trimmed || /[\u0000-\u001f\u007f\s]/.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== "mailto:" && !url.hostname) return null;
  return url.href;
}
