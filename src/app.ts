// Assembles the Elysia app from its parts. Tests build it with createApp() too, then call
// app.handle() or listen on port 0.
import { Elysia, type AnyElysia } from "elysia";
import type { Config } from "./config.ts";
import type { Store } from "./db/store.ts";
import type { ClusterNode } from "./cluster/node.ts";
import type { Logger } from "./log.ts";
import type { Secrets } from "./secrets.ts";
import type { AssetStore } from "./web/assets.ts";
import type { LiveCertificate } from "./tls/certificate-status.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { errorResponse } from "./http/errors.ts";
import { createOriginAuditSampler, isSameOrigin, STATE_CHANGING } from "./http/origin.ts";
import { translateError } from "./http/translate-error.ts";
import { parseCappedBody } from "./http/json-body.ts";
import { healthRoutes } from "./http/health.ts";
import { accountApi } from "./http/account-api.ts";
import { chatApi } from "./http/room-api.ts";
import { clientIp } from "./http/session-meta.ts";
import { webRoutes } from "./http/web.ts";
import { fileApi } from "./http/file-api.ts";
import { metricsRoutes, readMetricsToken } from "./http/metrics-routes.ts";
import { moderationRoutes } from "./http/moderation-routes.ts";
import { openApiHandler } from "./http/openapi.ts";
import { statusClass } from "./metrics/metrics.ts";
import { lastResortOptions, logRefused } from "./http/last-resort.ts";
import { MALFORMED_REQUEST, requestUrl, safePath } from "./http/request-target.ts";
import { createServices } from "./services.ts";
import { MAX_FRAME_BYTES, SOCKET_IDLE_TIMEOUT_SECONDS } from "./protocol.ts";
import { NUL_MESSAGE, urlHasNul } from "./text/nul.ts";

export interface AppDeps {
  store: Store;
  /** This node's cluster membership (Redis link, shared limits); absent on a lone node. */
  cluster?: ClusterNode | null;
  config: Config;
  logger: Logger;
  assets: AssetStore;
  secrets: Secrets;
  /** HSTS stays short while the certificate is self-signed; a function follows a certificate ACME replaces. */
  selfSigned: boolean | (() => boolean);
  /** The certificate being served, for the admin dashboard (absent where tests do not listen). */
  certificate?: LiveCertificate;
  startedAt: number;
}

/** Largest JSON body any API route accepts; uploads have their own limit. */
export const MAX_JSON_BODY = 64 * 1024;

/**
 * Upload routes stream their body to disk under their own limit (files/upload.ts): a one-shot file
 * (/api/rooms/:id/files) and a tray upload (/api/rooms/:id/uploads). A route missing here has its
 * body buffered by the JSON parser first, so its own stream is already read (and 64 KiB caps it).
 */
const isUploadPath = (path: string) => path.startsWith("/api/") && (path.endsWith("/files") || path.endsWith("/uploads"));

export function createApp(deps: AppDeps) {
  const selfSignedHeaders = securityHeaders(true);
  const trustedHeaders = securityHeaders(false);
  const { selfSigned } = deps;
  const isSelfSigned = typeof selfSigned === "function" ? selfSigned : () => selfSigned;
  // Start time and path, parsed once per request in onRequest for the later hooks.
  const seen = new WeakMap<Request, { at: number; path: string }>();
  const pathOf = (request: Request) => seen.get(request)?.path ?? safePath(request);
  const services = createServices(deps);
  const auditOriginRefusal = createOriginAuditSampler();
  const metricsToken = deps.config.metricsTokenFile ? readMetricsToken(deps.config.metricsTokenFile) : null;
  // Requests answered before routing (bad origin, too large): counted under one route label.
  const countEarly = (method: string, status: number) => services.metrics.httpRequests.inc({ method: methodLabel(method), route: "(refused early)", status: statusClass(status) });
  let built: AnyElysia | null = null;

  const app = new Elysia({
    // Bun refuses bodies over 128 MiB with a bare 413 by default. Uploads are bounded while they
    // stream (files/upload.ts), so a configured --max-upload above that must get through to them.
    serve: {
      maxRequestBodySize: Math.max(128 * 1024 * 1024, deps.config.maxUploadBytes + 1024 * 1024),
      // Never Bun's development error page, never its bare 500 (http/last-resort.ts).
      ...lastResortOptions("https", selfSignedHeaders, deps.logger),
    },
    websocket: {
      // Per-route ws options are ignored by Elysia 1.4; limits must be set here.
      maxPayloadLength: MAX_FRAME_BYTES,
      idleTimeout: SOCKET_IDLE_TIMEOUT_SECONDS,
      backpressureLimit: 1024 * 1024,
      closeOnBackpressureLimit: true,
      perMessageDeflate: false,
    },
  })
    .onRequest(({ request, set, server }) => {
      const headers = isSelfSigned() ? selfSignedHeaders : trustedHeaders;
      // First: a Host or target that makes no URL is refused before anything parses it.
      const url = requestUrl(request);
      if (!url) {
        seen.set(request, { at: performance.now(), path: "(malformed)" });
        logRefused(deps.logger, "https", request, 400);
        return errorResponse(400, MALFORMED_REQUEST, { ...headers, "cache-control": "no-store" });
      }
      const path = url.pathname;
      seen.set(request, { at: performance.now(), path });
      Object.assign(set.headers, headers);
      if (path.startsWith("/api/")) set.headers["cache-control"] = "no-store";
      if (STATE_CHANGING.has(request.method) && !isSameOrigin(request, deps.config.origins)) {
        // Audited (table + JSON log): a foreign page tried to make a logged-in browser act. Sampled
        // per address: a flood must not push the rest of the audit trail out of the pruned table.
        const ip = clientIp(request, server);
        if (auditOriginRefusal(ip)) {
          void services.accounts.audit.record("origin_rejected", {
            ip,
            detail: { method: request.method, path: path.slice(0, 200), origin: request.headers.get("origin")?.slice(0, 200) ?? null },
          }).catch(() => {});
        }
        deps.logger.info("request", { method: request.method, path, status: 403, ms: 0 });
        countEarly(request.method, 403);
        return errorResponse(403, { error: "bad_origin", message: "This request did not come from VaultRoom's own pages." }, {
          ...headers,
          "cache-control": "no-store",
        });
      }
      if (path.startsWith("/api/") && urlHasNul(request.url)) {
        deps.logger.info("request", { method: request.method, path, status: 400, ms: 0 });
        countEarly(request.method, 400);
        return errorResponse(400, { error: "invalid_request", message: NUL_MESSAGE }, { ...headers, "cache-control": "no-store" });
      }
      // A declared length over the limit is refused before reading; an undeclared one (chunked) is
      // capped while it streams, in onParse below.
      const length = Number(request.headers.get("content-length") ?? 0);
      if (path.startsWith("/api/") && !isUploadPath(path) && length > MAX_JSON_BODY) {
        deps.logger.info("request", { method: request.method, path, status: 413, ms: 0 });
        countEarly(request.method, 413);
        return errorResponse(413, { error: "payload_too_large", message: "The request body is too large." }, {
          ...headers,
          "cache-control": "no-store",
        });
      }
    })
    .onParse({ as: "global" }, ({ request, contentType }) => {
      // Uploads read their own stream; null marks the body as handled so nothing buffers it.
      if (isUploadPath(pathOf(request))) return null;
      return parseCappedBody(request, contentType ?? "", MAX_JSON_BODY);
    })
    .onError(({ code, error, request, set }) => translateError(code, error, request, set, deps))
    .onAfterResponse(({ request, set, response, route }) => {
      const start = seen.get(request)?.at;
      const status = response instanceof Response ? response.status : typeof set.status === "number" ? set.status : 200;
      const ms = start === undefined ? undefined : Math.round((performance.now() - start) * 100) / 100;
      deps.logger.info("request", { method: request.method, path: pathOf(request), status, ms });
      // The route template (/api/rooms/:id), never the raw path: a bounded set of labels. Paths no
      // route matched (the web app's pages, probes) share one label.
      const template = typeof route === "string" && route !== "" && route !== "/*" ? route : "(other)";
      const method = methodLabel(request.method);
      services.metrics.httpRequests.inc({ method, route: template, status: statusClass(status) });
      if (ms !== undefined) services.metrics.httpSeconds.observe({ method, route: template }, ms / 1000);
    })
    // The assembled services, for the server's start-up work and for tests driving this very app.
    .decorate("services", services)
    .use(healthRoutes(services))
    .use(accountApi(services))
    .use(chatApi(services))
    // Upload paths end in /files, so the 64 KiB body limit above leaves them to their own limit.
    .use(fileApi(services))
    // Feature routes go here, before the web app's catch-all.
    .use(moderationRoutes(services))
    .use(metricsRoutes(services.metrics, metricsToken))
    .get("/api/openapi.json", openApiHandler(() => built!), { detail: { summary: "This API as an OpenAPI 3.1 document" } })
    .use(webRoutes(services));
  built = app as unknown as AnyElysia;
  return app;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** A client may send any method name: only the standard ones become labels. */
const methodLabel = (method: string) => (METHODS.has(method) ? method : "OTHER");

export type App = ReturnType<typeof createApp>;
