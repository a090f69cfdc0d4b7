// The client-facing shape of a stored file (protocol.ts Attachment).
import type { Attachment } from "../protocol.ts";
import { isInlineImage } from "./mime.ts";
import type { FileRow } from "./records.ts";

export function toAttachment(row: Pick<FileRow, "id" | "name" | "size" | "mime" | "sha256">): Attachment {
  return { id: row.id, name: row.name, size: row.size, type: row.mime, image: isInlineImage(row.mime), sha256: row.sha256 };
}
