import { Elysia } from "elysia";
import type { AppDeps } from "../app.ts";
import { assetResponse } from "../web/assets.ts";
import { errorResponse } from "./errors.ts";

/**
 * The embedded single-page app. Any other non-API path is a client-side route and gets
 * index.html; unknown /api/ paths get a JSON 404.
 */
export function webRoutes(deps: AppDeps) {
  return new Elysia().get("/*", ({ request }) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/api/") || path === "/api") {
      return errorResponse(404, { error: "not_found", message: "There is nothing at this address." });
    }
    const asset = deps.assets.get(path);
    if (asset) return assetResponse(asset, request);
    // A missing file (a stale hashed asset, a typo) must not come back as HTML with status 200.
    if (path.startsWith("/assets/") || /\.[a-z0-9]{1,8}$/i.test(path)) {
      return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return assetResponse(deps.assets.index(), request);
  });
}
