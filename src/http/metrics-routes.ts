// GET /metrics for Prometheus. Not public: with --metrics-token-file it answers only a request
// carrying "Authorization: Bearer <that token>" (compared in constant time; anything else is 401);
// without it the path does not exist (404), and metrics are served, if at all, by the loopback-only
// listener of --metrics-port (metrics-listener.ts).
import { Elysia } from "elysia";
import { readFileSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import type { Metrics } from "../metrics/metrics.ts";
import { errorResponse } from "./errors.ts";

/** Reads the token once at start; a missing, unreadable or too short file stops the server with one clear line. */
export function readMetricsToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new Error(`cannot read --metrics-token-file ${file}: ${(error as Error).message}`);
  }
  if (token.length < 16 || /\s/.test(token)) throw new Error(`--metrics-token-file ${file} must hold one token of at least 16 characters (no spaces)`);
  return token;
}

const sha = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest();

/** Compares hashes, so neither the length nor a prefix of the token leaks through timing. */
export function bearerMatches(header: string | null, token: string): boolean {
  if (!header?.startsWith("Bearer ")) return false;
  return timingSafeEqual(sha(header.slice(7).trim()), sha(token));
}

export async function exposition(metrics: Metrics): Promise<Response> {
  metrics.startDefaults();
  return new Response(await metrics.registry.metrics(), {
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
  });
}

const notFound = () => errorResponse(404, { error: "not_found", message: "There is nothing at this address." });

export function metricsRoutes(metrics: Metrics, token: string | null) {
  return new Elysia().get(
    "/metrics",
    async ({ request }) => {
      if (token === null) return notFound();
      if (!bearerMatches(request.headers.get("authorization"), token)) {
        return errorResponse(401, { error: "unauthorized", message: "A valid metrics token is required." }, { "www-authenticate": 'Bearer realm="metrics"' });
      }
      return exposition(metrics);
    },
    { detail: { summary: "Prometheus metrics (text exposition format); needs the --metrics-token-file token as a Bearer token" } },
  );
}
