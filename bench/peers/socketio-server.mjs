// Peer: Node + socket.io 4 (the stack the seed project planned to use), the floor's minimum
// (bench/floor-server.ts) in socket.io's own terms: a socket joins the room named in its handshake
// query, and each "m" event it emits is emitted unchanged to the whole room, the sender included (its
// own copy is its acknowledgement, as on the floor). WebSocket transport only (no long-polling), no
// compression, same certificate, cipher list and payload limit as the floor. Plain JavaScript because
// Node 20 runs no TypeScript; bench/lib/peers.ts starts it.
//
//   node bench/peers/socketio-server.mjs --port N --certs DIR --ciphers LIST
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Server } from "socket.io";

const { values } = parseArgs({ options: { port: { type: "string" }, certs: { type: "string" }, ciphers: { type: "string" } } });
if (!values.port || !values.certs) {
  process.stderr.write("usage: node bench/peers/socketio-server.mjs --port N --certs DIR [--ciphers LIST]\n");
  process.exit(2);
}

const server = createServer(
  {
    cert: readFileSync(join(values.certs, "cert.pem")),
    key: readFileSync(join(values.certs, "key.pem")),
    ciphers: values.ciphers,
    honorCipherOrder: true,
  },
  (request, response) => {
    // socket.io answers its own path before this handler; everything else is ours.
    if (request.url === "/health") response.writeHead(200).end("ok");
    else if (!request.url?.startsWith("/socket.io/")) response.writeHead(404).end("not found");
  },
);
const io = new Server(server, {
  transports: ["websocket"],
  perMessageDeflate: false,
  maxHttpBufferSize: 16 * 1024,
  serveClient: false,
});

io.on("connection", (socket) => {
  const room = `room:${String(socket.handshake.query.room ?? "main")}`;
  socket.join(room);
  socket.on("m", (body) => {
    io.to(room).emit("m", body);
  });
  socket.emit("ready");
});

server.listen(Number(values.port), "127.0.0.1", () => process.stderr.write(`socket.io listening on https://127.0.0.1:${values.port}\n`));
const stop = () => {
  io.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
