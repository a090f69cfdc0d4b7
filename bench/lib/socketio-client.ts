// The load client's socket.io path, for the socket.io peer (bench/peers/socketio-server.mjs): one
// socket.io connection per member (forceNew: without it the client multiplexes every member over a
// single WebSocket), WebSocket transport only, no reconnection. Messages travel as "m" events whose
// argument is the same raw body the floor relays, so the load and its checks are the floor's.
import { io } from "socket.io-client";
import type { RoomSocket } from "./wire.ts";

export function openSocketIo(port: number, room: string, onFrame: (frame: string) => void, timeoutMs = 30_000): Promise<RoomSocket> {
  return new Promise((resolve, reject) => {
    const socket = io(`https://127.0.0.1:${port}`, {
      transports: ["websocket"],
      query: { room },
      forceNew: true,
      reconnection: false,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const adapter: RoomSocket = {
      send: (data) => void socket.emit("m", data),
      close: () => void socket.disconnect(),
      onclose: null,
    };
    let ready = false;
    socket.on("m", (body: string) => onFrame(body));
    socket.once("ready", () => {
      ready = true;
      resolve(adapter);
    });
    socket.on("disconnect", (reason) => {
      if (ready) adapter.onclose?.(new CloseEvent("close", { code: 1006, reason }));
      else reject(new Error(`socket.io disconnected before ready: ${reason}`));
    });
    socket.on("connect_error", (error) => {
      if (!ready) reject(new Error(`socket.io could not connect: ${error.message}`));
    });
  });
}
