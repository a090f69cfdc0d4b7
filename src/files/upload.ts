// Receiving a file into a room: membership first, then the bytes (streamed, bounded by the upload
// limit and the uploader's remaining quota), then the chat's own write path stores the message and
// the file row in one transaction and announces `message.created` (with the attachment) after the
// commit. On disk: .part -> fsync -> rename -> commit, so a crash never leaves a row without its
// file, and any failure removes what was written.
import type { Actor } from "../accounts/sessions.ts";
import type { Config } from "../config.ts";
import { AppError, errors } from "../errors.ts";
import type { Chat } from "../messages/chat.ts";
import type { Attachment, PostedMessage, Replies } from "../protocol.ts";
import { stageUpload } from "./staged-uploads.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { fileRecords, overQuota } from "./records.ts";
import type { FileService } from "./service.ts";
import { formatBytes, formatDuration } from "./sizes.ts";
import { BodyAborted, BodyTooLarge, type ReceivedFile } from "./storage.ts";
import { BodyTooSlow, DEFAULT_UPLOAD_PACE, PaceMeter } from "./upload-pace.ts";

/** Longer text goes in its own message: the caption rides in the URL, which the server caps at 16 KiB. */
export const MAX_CAPTION_LENGTH = 1000;

export interface UploadInput {
  roomId: number;
  /** Already sanitised (filename.ts). */
  name: string;
  caption: string;
  clientId: string;
  /** From Content-Length; null for a chunked body. */
  declaredLength: number | null;
  body: ReadableStream<Uint8Array> | null;
}

export interface UploadDeps {
  config: Config;
  files: FileService;
  chat: Pick<Chat, "store" | "messages">;
}

export const uploadErrors = {
  tooLarge: (limit: number) => new AppError(413, "payload_too_large", `The file is larger than the ${formatBytes(limit)} upload limit.`),
  overQuota,
  aborted: () => errors.badRequest("upload_aborted", "The upload was interrupted before it finished."),
  tooSlow: ({ verdict, meter }: BodyTooSlow) =>
    new AppError(
      408,
      "upload_too_slow",
      verdict === "too_slow"
        ? `The upload was too slow: it must average at least ${formatBytes(meter.pace.minBytesPerSecond)}/s over ` +
          `${formatDuration(meter.pace.windowMs)}. Try again on a faster connection.`
        : `The upload took longer than the ${formatDuration(meter.deadlineMs)} allowed. Try again on a faster connection.`,
    ),
  storageFull: () => new AppError(507, "storage_full", "The server has run out of disk space. Tell an administrator."),
};

/** Membership first, then the bytes into a new .part file, within the upload limit and the quota left. */
async function receiveInto(deps: UploadDeps, actor: Actor, input: Omit<UploadInput, "caption" | "clientId">): Promise<ReceivedFile> {
  const { files, config } = deps;
  const db = deps.chat.store.read;
  // Before a single byte of the body is read: may this person post here at all?
  const access = await roomQueries.memberAccess(db, actor.userId, input.roomId);
  if (access.archivedAt !== null) throw chatErrors.roomArchived();

  const quota = (await files.quota()).bytes;
  const used = await fileRecords.usedBytes(db, actor.userId);
  const remaining = Math.max(0, quota - used);
  if (input.declaredLength !== null && input.declaredLength > config.maxUploadBytes) throw uploadErrors.tooLarge(config.maxUploadBytes);
  if (input.declaredLength !== null && input.declaredLength > remaining) throw uploadErrors.overQuota(used, quota);

  const budget = Math.min(config.maxUploadBytes, remaining);
  try {
    const pace = { ...DEFAULT_UPLOAD_PACE, ...config.uploadTuning?.pace };
    return await files.storage.receive(input.body, budget, new PaceMeter(pace, config.maxUploadBytes, Date.now()));
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      throw budget < config.maxUploadBytes ? uploadErrors.overQuota(used, quota) : uploadErrors.tooLarge(config.maxUploadBytes);
    }
    throw translateIoError(error);
  }
}

/** One file, sent at once as its own message (with an optional caption). */
export async function uploadFile(deps: UploadDeps, actor: Actor, input: UploadInput): Promise<PostedMessage> {
  const { files, config } = deps;
  const received = await receiveInto(deps, actor, input);
  try {
    await files.storage.publish(received.id);
    const reply = await deps.chat.messages.post(actor, {
      roomId: input.roomId,
      clientId: input.clientId,
      body: input.caption,
      // Checked again against the quota under the write lock: parallel uploads may have used the space.
      attachment: { id: received.id, name: input.name, size: received.size, mime: received.mime, sha256: received.sha256, defaultQuotaBytes: config.userQuotaBytes },
    });
    // A retry of an upload already stored answers with the first message; this copy is not kept.
    if (reply.duplicate) await files.storage.remove(received.id);
    return reply;
  } catch (error) {
    await files.storage.remove(received.id);
    throw error instanceof AppError ? error : translateIoError(error);
  }
}

/**
 * One file uploaded for the composer's tray, not sent yet: the message that carries it (with others,
 * a caption) names it in `attachments` (messages.ts). Unsent uploads expire (staged-uploads.ts).
 */
export async function stageFile(deps: UploadDeps, actor: Actor, input: Omit<UploadInput, "caption" | "clientId">): Promise<Attachment> {
  const { files, config } = deps;
  const received = await receiveInto(deps, actor, input);
  try {
    await files.storage.publish(received.id);
    return await deps.chat.store.write(stageUpload, {
      upload: { id: received.id, name: input.name, size: received.size, mime: received.mime, sha256: received.sha256 },
      roomId: input.roomId,
      uploaderId: actor.userId,
      defaultQuotaBytes: config.userQuotaBytes,
      now: Date.now(),
    });
  } catch (error) {
    await files.storage.remove(received.id);
    throw error instanceof AppError ? error : translateIoError(error);
  }
}

function translateIoError(error: unknown): unknown {
  if (error instanceof BodyAborted) return uploadErrors.aborted();
  if (error instanceof BodyTooSlow) return uploadErrors.tooSlow(error);
  if ((error as NodeJS.ErrnoException)?.code === "ENOSPC") return uploadErrors.storageFull();
  return error;
}
