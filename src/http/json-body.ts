// Reads a request body with a hard cap while it streams, so a body without a declared length
// (chunked, or HTTP/2 without content-length) can never be buffered whole.
import { AppError } from "../errors.ts";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.ts";
import { jsonHasNul, NUL_MESSAGE } from "../text/nul.ts";

export async function readCappedText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError(413, "payload_too_large", "The request body is too large.");
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

/** Parses a JSON API body within the cap; empty bodies are `undefined`, bad JSON a clear 400. */
export async function parseCappedBody(request: Request, contentType: string, maxBytes: number): Promise<unknown> {
  const text = await readCappedText(request, maxBytes);
  if (!contentType.includes("json")) return text;
  if (text.trim() === "") return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new AppError(400, "invalid_body", "The request body is nested too deeply.");
  // A field's value is refused, as the socket refuses it (the body itself is valid JSON).
  if (jsonHasNul(text)) throw new AppError(400, "invalid_request", NUL_MESSAGE);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_body", "The request body is not valid JSON.");
  }
}
