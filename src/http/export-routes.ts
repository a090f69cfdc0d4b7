// Data exports: start one of my data, list mine with their progress, download a ready one (mine
// only); an admin starts the export of one room here too, and downloads it the same way.
import { Elysia, t } from "elysia";
import type { ExportInfo, ExportsResponse } from "../accounts/types.ts";
import type { Services } from "../services.ts";
import { authContext, requireActor, requireAdmin } from "./auth-context.ts";
import { contentDisposition } from "./file-headers.ts";
import { requestMeta } from "./session-meta.ts";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function exportRoutes(services: Services) {
  const { exports } = services;
  return new Elysia({ prefix: "/api" })
    .use(authContext(services))
    .get("/account/exports", async ({ actor }): Promise<ExportsResponse> => exports.list(requireActor(actor).userId))
    .post("/account/exports", async ({ actor, request, server, set }): Promise<{ export: ExportInfo }> => {
      const started = await exports.startOwn(requireActor(actor), requestMeta(request, server));
      set.status = 202;
      return { export: started };
    })
    .get(
      "/account/exports/:id/download",
      async ({ actor, params, request, server }) => {
        const me = requireActor(actor);
        const found = await exports.download(me, params.id, requestMeta(request, server));
        const name = found.roomId === null ? `vaultroom-${me.username}-${day(found.createdAt)}.zip` : `vaultroom-room-${found.roomId}-${day(found.createdAt)}.zip`;
        return new Response(Bun.file(found.path), {
          headers: {
            "content-type": "application/zip",
            "content-disposition": contentDisposition("attachment", name),
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",
          },
        });
      },
      { params: t.Object({ id: t.String({ maxLength: 64 }) }) },
    )
    .post(
      "/admin/rooms/:id/export",
      async ({ actor, params, request, server, set }): Promise<{ export: ExportInfo }> => {
        const started = await exports.startRoom(requireAdmin(actor), params.id, requestMeta(request, server));
        set.status = 202;
        return { export: started };
      },
      { params: t.Object({ id: t.Numeric({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }) },
    );
}
