// The type of a stored file comes from its first bytes, never from the client's Content-Type or the
// file's extension. Only the raster image types below may ever be served inline (see http/file-download.ts);
// everything else, SVG and HTML included, is recorded for display and downloaded as an attachment.

/** Bytes needed to recognise every signature below. */
export const SNIFF_BYTES = 16;

export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

const SIGNATURES: readonly { mime: string; at: number; bytes: readonly number[]; also?: { at: number; bytes: readonly number[] } }[] = [
  { mime: "image/png", at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: "image/jpeg", at: 0, bytes: [0xff, 0xd8, 0xff] },
  { mime: "image/gif", at: 0, bytes: ascii("GIF87a") },
  { mime: "image/gif", at: 0, bytes: ascii("GIF89a") },
  { mime: "image/webp", at: 0, bytes: ascii("RIFF"), also: { at: 8, bytes: ascii("WEBP") } },
  { mime: "application/pdf", at: 0, bytes: ascii("%PDF-") },
  { mime: "application/zip", at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { mime: "application/gzip", at: 0, bytes: [0x1f, 0x8b] },
  { mime: "video/mp4", at: 4, bytes: ascii("ftyp") },
];

export const UNKNOWN_TYPE = "application/octet-stream";

function matches(head: Uint8Array, at: number, bytes: readonly number[]): boolean {
  if (head.length < at + bytes.length) return false;
  return bytes.every((byte, i) => head[at + i] === byte);
}

export function detectMime(head: Uint8Array): string {
  for (const sig of SIGNATURES) {
    if (matches(head, sig.at, sig.bytes) && (!sig.also || matches(head, sig.also.at, sig.also.bytes))) return sig.mime;
  }
  return UNKNOWN_TYPE;
}

export function isInlineImage(mime: string): boolean {
  return INLINE_IMAGE_TYPES.has(mime);
}
