// Peer: Node + `ws`, the floor's minimum (bench/floor-server.ts) written the way a Node developer
// would with that stack: an HTTPS server, one set of sockets per room (from ?room=), every text frame
// received sent unchanged to every socket of the sender's room, the sender included (its own copy is
// its acknowledgement, as on the floor). Same certificate, cipher list and socket limits as the floor.
// Plain JavaScript because Node 20 runs no TypeScript; bench/lib/peers.ts starts it.
//
//   node bench/peers/node-ws-server.mjs --port N --certs DIR --ciphers LIST
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { WebSocket, WebSocketServer } from "ws";

const { values } = parseArgs({ options: { port: { type: "string" }, certs: { type: "string" }, ciphers: { type: "string" } } });
if (!values.port || !values.certs) {
  process.stderr.write("usage: node bench/peers/node-ws-server.mjs --port N --certs DIR [--ciphers LIST]\n");
  process.exit(2);
}

const BACKPRESSURE_LIMIT = 1024 * 1024;
/** @type {Map<string, Set<WebSocket>>} */
const rooms = new Map();

const server = createServer(
  {
    cert: readFileSync(join(values.certs, "cert.pem")),
    key: readFileSync(join(values.certs, "key.pem")),
    ciphers: values.ciphers,
    honorCipherOrder: true,
  },
  (request, response) => {
    response.writeHead(request.url === "/health" ? 200 : 404).end(request.url === "/health" ? "ok" : "not found");
  },
);
const wss = new WebSocketServer({ server, path: "/ws", maxPayload: 16 * 1024, perMessageDeflate: false });

wss.on("connection", (ws, request) => {
  const name = new URL(request.url ?? "/", "https://x").searchParams.get("room") ?? "main";
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  room.add(ws);
  ws.on("close", () => room.delete(ws));
  ws.on("message", (data, isBinary) => {
    for (const peer of room) {
      if (peer.readyState !== WebSocket.OPEN) continue;
      // Like Bun's closeOnBackpressureLimit: a reader that cannot keep up is closed, not buffered for.
      if (peer.bufferedAmount > BACKPRESSURE_LIMIT) peer.terminate();
      else peer.send(data, { binary: isBinary });
    }
  });
  ws.send("ready");
});

server.listen(Number(values.port), "127.0.0.1", () => process.stderr.write(`node-ws listening on https://127.0.0.1:${values.port}\n`));
const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  server.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
