// An upload whose body trickles in: the headers promise `declared` bytes, then one byte is written
// every `byteEveryMs` over a raw TLS connection, as the slot-starvation attack of issue 21 (§3) did.
import { connect } from "node:tls";
import { parseAnswer, type RawAnswer } from "../hostile/raw-http.ts";

export interface SlowUpload {
  /** Resolves with the server's answer, or status 0 when the connection ended without one. */
  answer: Promise<RawAnswer>;
  /** Stops sending and closes the connection. */
  stop(): void;
}

export function slowUpload(options: {
  port: number;
  path: string;
  cookie: string;
  origin: string;
  declared: number;
  byteEveryMs: number;
}): SlowUpload {
  let raw = "";
  let timer: ReturnType<typeof setInterval> | undefined;
  const socket = connect({ host: "127.0.0.1", port: options.port, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] }, () => {
    socket.write(
      `POST ${options.path} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\nCookie: ${options.cookie}\r\nOrigin: ${options.origin}\r\n` +
        `Content-Type: application/octet-stream\r\nContent-Length: ${options.declared}\r\nConnection: close\r\n\r\nx`,
    );
    timer = setInterval(() => {
      if (!socket.destroyed) socket.write("x");
    }, options.byteEveryMs);
  });
  const answer = new Promise<RawAnswer>((resolve) => {
    const done = () => {
      clearInterval(timer);
      socket.destroy();
      resolve(parseAnswer(raw));
    };
    socket.on("data", (chunk: Buffer) => {
      raw += chunk.toString("latin1");
      const parsed = parseAnswer(raw);
      const length = Number(parsed.headers["content-length"] ?? NaN);
      if (parsed.status && Buffer.byteLength(parsed.body, "latin1") >= length) done();
    });
    socket.on("error", done);
    socket.on("close", done);
  });
  return {
    answer,
    stop() {
      clearInterval(timer);
      socket.destroy();
    },
  };
}
