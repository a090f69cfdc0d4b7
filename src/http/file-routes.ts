// Files over HTTP.
//
// Upload: POST /api/rooms/:id/files?name=&caption=&clientId=  with the file's raw bytes as the body
// (any Content-Type but multipart/*, which gets 415: the body is stored as it comes). Streamed to
// disk, never buffered whole: membership is checked before the body is read, a Content-Length over
// the limit is refused at once (413), and a body that grows past the limit or the uploader's
// remaining quota stops being read (413 / 403). Answers like posting a message:
// 201 { message, duplicate: false } (200 with duplicate: true for a resend of the
// same clientId); everyone in the room receives `message.created` with `message.attachment`.
//
// Download: GET /api/files/:id  members of the file's room only (anyone else: 404, as for a missing
// file; logged out: 401). Always `attachment`, except that a PNG/JPEG/GIF/WebP (detected from its
// bytes) is served `inline` with ?inline=1. See file-headers.ts for the headers.
//
// Usage: GET /api/files/usage  my used bytes, my quota and the upload limit, for the client's checks.
import { Elysia, t } from "elysia";
import { sanitizeFilename } from "../files/filename.ts";
import { MAX_CAPTION_LENGTH, stageFile, uploadFile } from "../files/upload.ts";
import { stagedUploads, unstageUpload } from "../files/staged-uploads.ts";
import { isFileId } from "../files/ids.ts";
import { UploadSlots } from "../files/upload-slots.ts";
import type { Actor } from "../accounts/sessions.ts";
import type { Services } from "../services.ts";
import type { Attachment } from "../protocol.ts";
import { UUID_PATTERN } from "../ws/schemas.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { AppError, errors, throwIfRateLimited } from "../errors.ts";
import { fileResponseHeaders } from "./file-headers.ts";
import { IdParam } from "./room-routes.ts";

/** Bytes of files whose message was deleted are unlinked at least this often (and after each upload). */
const TRASH_SWEEP_MS = 10_000;

function declaredLength(request: Request): number | null {
  const header = request.headers.get("content-length");
  if (header === null) return null;
  return /^\d{1,16}$/.test(header) ? Number(header) : null;
}

export function fileRoutes(services: Services) {
  const { files, chat, config } = services;
  const slots = new UploadSlots(config.uploadTuning?.slots);
  let sweeper: ReturnType<typeof setInterval> | null = null;
  const sweep = () => {
    files.sweepTrash().catch((error: unknown) => services.logger.error("file_sweep_failed", { error: String(error) }));
  };

  /** Checks, takes an upload slot and stores the file with its message. */
  async function upload(me: Actor, roomId: number, query: { name?: string; caption?: string; clientId?: string }, request: Request) {
    // The body is stored byte for byte, so a multipart form (curl -F, an HTML form) would be kept
    // as its own envelope under the name "file": say so instead of storing something unusable.
    if (/^\s*multipart\//i.test(request.headers.get("content-type") ?? "")) {
      throw new AppError(415, "multipart_not_supported", "Send the file's bytes as the request body (not a multipart form), with its name in ?name=.");
    }
    // An upload posts a message: it spends from the same per-user bucket as a text message.
    throwIfRateLimited(await chat.takeUserMessage(me.userId));
    const release = slots.acquire(me.userId);
    if (!release) {
      throw new AppError(429, "too_many_uploads", "Too many uploads at once. Wait for one to finish.", { "retry-after": "1" });
    }
    try {
      return await uploadFile({ config, files, chat }, me, {
        roomId,
        name: sanitizeFilename(query.name ?? ""),
        caption: query.caption ?? "",
        clientId: (query.clientId ?? crypto.randomUUID()).toLowerCase(),
        declaredLength: declaredLength(request),
        body: request.body,
      });
    } finally {
      release();
      sweep();
    }
  }

  return new Elysia()
    .use(authContext(services))
    .onStart(() => {
      sweeper ??= setInterval(() => {
        // Unsent uploads past their time go first, so their bytes are in this sweep's trash.
        stagedUploads
          .expire(services.store)
          .catch((error: unknown) => services.logger.error("file_sweep_failed", { error: String(error) }))
          .finally(sweep);
        files.sweepLeftovers().catch((error: unknown) => services.logger.error("file_sweep_failed", { error: String(error) }));
      }, TRASH_SWEEP_MS);
      sweeper.unref?.();
    })
    .onStop(() => {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
    })
    .post(
      "/api/rooms/:id/files",
      async ({ actor, params, query, request, set }) => {
        try {
          const reply = await upload(requireActor(actor), params.id, query, request);
          set.status = reply.duplicate ? 200 : 201;
          if (!reply.duplicate) services.metrics.uploadBytes.inc(reply.message.attachment?.size ?? 0);
          return reply;
        } catch (error) {
          if (error instanceof AppError) services.metrics.uploadRefusals.inc({ reason: error.code });
          throw error;
        }
      },
      {
        // The body is the file: never let Elysia parse (and so buffer) it.
        parse: "none",
        params: IdParam,
        query: t.Object({
          // Raw names may be long; the sanitiser cuts them to 200 characters.
          name: t.Optional(t.String({ maxLength: 1024 })),
          caption: t.Optional(t.String({ maxLength: MAX_CAPTION_LENGTH })),
          clientId: t.Optional(t.String({ pattern: UUID_PATTERN })),
        }),
      },
    )
    // A file for the composer's tray: stored now, sent later with others as one message
    // (`message.post` with `attachments`). Same checks, limits and slots as the one-shot upload.
    .post(
      "/api/rooms/:id/uploads",
      async ({ actor, params, query, request, set }): Promise<{ upload: Attachment }> => {
        const me = requireActor(actor);
        if (/^\s*multipart\//i.test(request.headers.get("content-type") ?? "")) {
          throw new AppError(415, "multipart_not_supported", "Send the file's bytes as the request body (not a multipart form), with its name in ?name=.");
        }
        throwIfRateLimited(await chat.takeUserMessage(me.userId));
        const release = slots.acquire(me.userId);
        if (!release) {
          throw new AppError(429, "too_many_uploads", "Too many uploads at once. Wait for one to finish.", { "retry-after": "1" });
        }
        try {
          const upload = await stageFile({ config, files, chat }, me, {
            roomId: params.id,
            name: sanitizeFilename(query.name ?? ""),
            declaredLength: declaredLength(request),
            body: request.body,
          });
          set.status = 201;
          return { upload };
        } finally {
          release();
          sweep();
        }
      },
      { parse: "none", params: IdParam, query: t.Object({ name: t.Optional(t.String({ maxLength: 1024 })) }) },
    )
    .delete(
      "/api/uploads/:id",
      async ({ actor, params }): Promise<{ id: string }> => {
        const me = requireActor(actor);
        if (!isFileId(params.id)) throw errors.notFound("upload_not_found", "That upload does not exist or has expired.");
        throwIfRateLimited(await chat.takeAction(me.userId));
        const removed = await services.store.write(unstageUpload, { id: params.id, uploaderId: me.userId });
        sweep();
        return removed;
      },
      { params: t.Object({ id: t.String({ maxLength: 64 }) }) },
    )
    .get("/api/files/usage", ({ actor }) => files.usage(requireActor(actor).userId))
    .get(
      "/api/files/:id",
      async ({ actor, params, query }) => {
        const me = requireActor(actor);
        const file = await files.findForMember(me.userId, params.id);
        if (!file) throw errors.notFound("file_not_found", "This file does not exist, or it was not shared with you.");
        const content = Bun.file(files.storage.pathOf(file.id));
        if (!(await content.exists())) {
          services.logger.error("file_content_missing", { id: file.id });
          throw new AppError(500, "file_missing", "This file's content is missing on the server. Tell an administrator.");
        }
        return new Response(content, { headers: fileResponseHeaders(file, query.inline === "1") });
      },
      {
        params: t.Object({ id: t.String({ maxLength: 64 }) }),
        query: t.Object({ inline: t.Optional(t.String({ maxLength: 8 })) }),
      },
    );
}
