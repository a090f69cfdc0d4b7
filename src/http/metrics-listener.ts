// --metrics-port: a plain-HTTP listener bound to 127.0.0.1 only, serving /metrics without a token
// (whoever can reach the loopback interface is already on the machine). Nothing else is served, and
// a failure is a bare 500 (http/last-resort.ts), never Bun's error page.
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { lastResortOptions } from "./last-resort.ts";
import { exposition } from "./metrics-routes.ts";
import { safePath } from "./request-target.ts";

const HEADERS = { "x-content-type-options": "nosniff", "cache-control": "no-store" };

export function startMetricsListener(metrics: Metrics, port: number, logger: Logger) {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port,
    reusePort: false,
    ...lastResortOptions("metrics", HEADERS, logger),
    async fetch(request) {
      if (request.method === "GET" && safePath(request) === "/metrics") return exposition(metrics);
      return new Response("not found\n", { status: 404, headers: { ...HEADERS, "content-type": "text/plain; charset=utf-8" } });
    },
  });
  return {
    port: server.port!,
    stop: () => server.stop(true),
  };
}
