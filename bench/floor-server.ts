// The floor: the least a chat room server can do on this runtime. A bare Bun.serve over TLS (the same
// certificate and cipher policy as VaultRoom) with one WebSocket pub/sub topic per room: every text
// frame received is published, unchanged, to every socket in the sender's room, the sender included.
// No auth, no parsing, no storage. The same socket limits as VaultRoom's, so neither gets a head start.
//
//   bun bench/floor-server.ts --port N --certs DIR      (DIR holds cert.pem and key.pem)
import { join } from "node:path";
import { parseArgs } from "node:util";
import { TLS_CIPHERS } from "../src/tls/policy.ts";

const { values } = parseArgs({ options: { port: { type: "string" }, certs: { type: "string" } } });
if (!values.port || !values.certs) {
  process.stderr.write("usage: bun bench/floor-server.ts --port N --certs DIR\n");
  process.exit(2);
}

interface Peer {
  topic: string;
}

const server = Bun.serve<Peer>({
  hostname: "127.0.0.1",
  port: Number(values.port),
  reusePort: false,
  tls: {
    cert: Bun.file(join(values.certs, "cert.pem")),
    key: Bun.file(join(values.certs, "key.pem")),
    ciphers: TLS_CIPHERS,
  },
  fetch(request, srv) {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    if (url.pathname === "/ws" && srv.upgrade(request, { data: { topic: `room:${url.searchParams.get("room") ?? "main"}` } })) {
      return undefined;
    }
    return new Response("not found", { status: 404 });
  },
  websocket: {
    maxPayloadLength: 16 * 1024,
    idleTimeout: 60,
    backpressureLimit: 1024 * 1024,
    closeOnBackpressureLimit: true,
    perMessageDeflate: false,
    open(ws) {
      ws.subscribe(ws.data.topic);
      ws.send("ready");
    },
    message(ws, message) {
      server.publish(ws.data.topic, message);
    },
  },
});

process.stderr.write(`floor listening on https://127.0.0.1:${server.port}\n`);
const stop = () => {
  server.stop(true);
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
