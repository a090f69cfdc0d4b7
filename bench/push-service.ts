// The stand-in push service of the push benchmark (bench/lib/push-bench.ts), in a process of its own
// so that its TLS work does not slow the client that measures latency. Answers 201 to every push,
// checks that each carries a VAPID signature and an aes128gcm body, and reports its counts on
// GET /count. Usage: bun bench/push-service.ts CERT_DIR PORT_FILE
import { writeFileSync } from "node:fs";
import { loadOrCreateCertificate } from "../src/tls/certificate.ts";

const [certDir, portFile] = process.argv.slice(2) as [string, string];
const certificate = await loadOrCreateCertificate(certDir);
let received = 0;
let unsigned = 0;
let last = 0;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  tls: { cert: certificate.cert, key: certificate.key },
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/count") return Response.json({ received, unsigned, lastAt: last });
    if (!(request.headers.get("authorization") ?? "").startsWith("vapid t=") || request.headers.get("content-encoding") !== "aes128gcm") unsigned++;
    await request.arrayBuffer();
    received++;
    last = Date.now();
    return new Response(null, { status: 201 });
  },
});
writeFileSync(portFile, String(server.port));
process.on("SIGTERM", () => {
  server.stop(true);
  process.exit(0);
});
