// Headers for a file download. Stored files are other people's bytes: the browser must never treat
// them as a page of ours. Hence attachment by default, nosniff, a sandbox CSP that blocks scripts even
// if a browser renders the bytes anyway, no caching, and inline only for the raster image allowlist,
// whose type was detected from the content.
import { isInlineImage, UNKNOWN_TYPE } from "../files/mime.ts";

export const FILE_CSP = "sandbox; default-src 'none'";

// RFC 5987 attr-char: everything else is percent-encoded as UTF-8.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function encodeExtValue(name: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(name)) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(char) ? char : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** A quoted-string fallback for old clients: printable ASCII only, no quote, backslash or percent. */
function asciiFallback(name: string): string {
  const ascii = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]|["\\%]/g, "_").trim();
  return ascii || "file";
}

/** RFC 6266 Content-Disposition with both filename (ASCII) and filename* (UTF-8). */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
  return `${kind}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

export function fileResponseHeaders(file: { name: string; mime: string }, wantInline: boolean): Record<string, string> {
  const image = isInlineImage(file.mime);
  return {
    // Never text/html or image/svg+xml: anything outside the image allowlist is opaque bytes.
    "content-type": image ? file.mime : UNKNOWN_TYPE,
    "content-disposition": contentDisposition(image && wantInline ? "inline" : "attachment", file.name),
    "x-content-type-options": "nosniff",
    "cache-control": "private, no-store",
    "content-security-policy": FILE_CSP,
    "cross-origin-resource-policy": "same-origin",
  };
}
