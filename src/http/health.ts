import { Elysia } from "elysia";
import type { AppDeps } from "../app.ts";
import { VERSION } from "../version.ts";

export function healthRoutes(deps: AppDeps) {
  const ping = deps.db.query("SELECT 1 AS ok");
  return new Elysia().get("/api/health", () => {
    ping.get();
    return { status: "ok", version: VERSION, uptime: Math.round((Date.now() - deps.startedAt) / 1000) };
  });
}
