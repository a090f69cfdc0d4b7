// Storage for the admin dashboard: bytes used per user and in total, and the per-user quota, which
// an admin may change at run time (stored in settings; null returns to the --user-quota default).
//   GET /api/admin/storage          -> StorageReport (files/service.ts)
//   PUT /api/admin/storage/quota    { quotaBytes: number | null } -> StorageReport
import { Elysia, t } from "elysia";
import { MAX_QUOTA_BYTES } from "../files/quota.ts";
import type { StorageReport } from "../files/service.ts";
import type { Services } from "../services.ts";
import { authContext, requireAdmin } from "./auth-context.ts";
import { clientIp } from "./session-meta.ts";

export function fileAdminRoutes(services: Services) {
  const { files } = services;
  return new Elysia({ prefix: "/api/admin/storage" })
    .use(authContext(services))
    .get("/", ({ actor }): Promise<StorageReport> => {
      requireAdmin(actor);
      return files.report();
    })
    .put(
      "/quota",
      async ({ actor, body, request, server }): Promise<StorageReport> => {
        const admin = requireAdmin(actor);
        await files.setQuota(body.quotaBytes, { userId: admin.userId, ip: clientIp(request, server) });
        return files.report();
      },
      { body: t.Object({ quotaBytes: t.Union([t.Integer({ minimum: 0, maximum: MAX_QUOTA_BYTES }), t.Null()]) }) },
    );
}
