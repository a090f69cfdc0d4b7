// --metrics-port: a plain-HTTP listener bound to 127.0.0.1 only, serving /metrics without a token
// (whoever can reach the loopback interface is already on the machine). Nothing else is served.
import type { Metrics } from "../metrics/metrics.ts";
import { exposition } from "./metrics-routes.ts";

export function startMetricsListener(metrics: Metrics, port: number) {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port,
    reusePort: false,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method === "GET" && path === "/metrics") return exposition(metrics);
      return new Response("not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
    },
  });
  return {
    port: server.port!,
    stop: () => server.stop(true),
  };
}
