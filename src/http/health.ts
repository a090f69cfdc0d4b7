// GET /api/health: up, and can it reach its database. A load balancer takes a node out while its
// database is unreachable (503 database_unavailable comes from the store).
import { Elysia } from "elysia";
import { sql } from "../db/query.ts";
import type { Services } from "../services.ts";
import { VERSION } from "../version.ts";

const ping = sql<{ ok: number }, []>("SELECT 1 AS ok");

export function healthRoutes(services: Services) {
  return new Elysia().get("/api/health", async () => {
    await services.store.read.get(ping);
    // In a cluster without a working Redis link the node still serves (deliveries fall back to
    // reading the outbox every second) but says so.
    const redis = services.cluster ? services.cluster.link.state : null;
    return {
      status: redis === "down" ? "degraded" : "ok",
      version: VERSION,
      uptime: Math.round((Date.now() - services.startedAt) / 1000),
      ...(redis ? { redis } : {}),
    };
  });
}
