// Requests no real client would send (a Host fetch() refuses to set, a broken request line), written
// byte for byte over a fresh TCP or TLS connection, and the answer parsed just enough to judge it.
import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

export interface RawAnswer {
  /** 0 when the server closed the connection (or timed out) without a status line. */
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

const TIMEOUT_MS = 5000;

/** Writes `request` (latin1: each char one byte) and reads until the server closes or the body is complete. */
export function rawRequest(port: number, request: string, options: { tls: boolean }): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let raw = "";
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(raw));
    };
    const send = () => socket.write(Buffer.from(request, "latin1"));
    const socket: Socket = options.tls
      ? tlsConnect({ host: "127.0.0.1", port, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] }, send)
      : tcpConnect(port, "127.0.0.1", send);
    const timer = setTimeout(finish, TIMEOUT_MS);
    socket.on("data", (chunk: Buffer) => {
      raw += chunk.toString("latin1");
      const answer = parseAnswer(raw);
      const length = Number(answer.headers["content-length"] ?? NaN);
      if (answer.status && Number.isFinite(length) && Buffer.byteLength(answer.body, "latin1") >= length) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
  });
}

export function parseAnswer(raw: string): RawAnswer {
  const end = raw.indexOf("\r\n\r\n");
  const head = end === -1 ? raw : raw.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: end === -1 ? "" : raw.slice(end + 4), raw };
}

/** GET `target` with the given Host header line (null: no Host header at all). */
export function getWith(target: string, host: string | null): string {
  return `GET ${target} HTTP/1.1\r\n${host === null ? "" : `Host: ${host}\r\n`}Connection: close\r\n\r\n`;
}

/** The headers every answer VaultRoom writes must carry (src/http/security-headers.ts). */
export const REQUIRED_HEADERS = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"] as const;

export function missingSecurityHeaders(answer: RawAnswer): string[] {
  return REQUIRED_HEADERS.filter((name) => !(name in answer.headers));
}

/**
 * Bun's HTTP parser refuses some byte sequences (no request target, a space inside it, a header line
 * without a colon) before any of VaultRoom's code runs, with a bare `400` and no body. There is
 * nothing in such an answer to frame, sniff or cache, and no way for the application to add to it.
 */
export function isParserRefusal(answer: RawAnswer): boolean {
  return (answer.status === 400 || answer.status === 505 || answer.status === 431) && answer.body === "" && !("content-type" in answer.headers);
}

/** What a leaked stack trace or source excerpt looks like in a body or a log. */
export const STACK_TRACE = /\n\s+at |DevErrorPage|\/\$bunfs\/|node_modules|TypeError|ERR_INVALID_URL|\bfunction\b.*\{/;
