// Reads the server name (SNI) and the offered ALPN protocols from the first bytes of a TLS connection,
// without decrypting anything: the ClientHello is sent in the clear (RFC 8446 section 4.1.2). The TLS
// front (front-door.ts) needs them to send ACME's TLS-ALPN-01 validation to its own responder.

export type ClientHelloPeek =
  /** More bytes are needed before anything can be said. */
  | { kind: "partial" }
  /** Not a TLS ClientHello (or a malformed one): the front hands it on untouched. */
  | { kind: "other" }
  | { kind: "hello"; serverName: string | null; alpn: string[] };

const HANDSHAKE_RECORD = 0x16;
const CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
/** A ClientHello larger than this (several records) is not worth waiting for. */
export const MAX_CLIENT_HELLO = 64 * 1024;

export function peekClientHello(bytes: Uint8Array): ClientHelloPeek {
  const handshake = handshakeBytes(bytes);
  if (handshake === "other" || handshake === "partial") return { kind: handshake };
  if (handshake.length < 4) return { kind: "partial" };
  if (handshake[0] !== CLIENT_HELLO) return { kind: "other" };
  const length = (handshake[1]! << 16) | (handshake[2]! << 8) | handshake[3]!;
  if (length > MAX_CLIENT_HELLO) return { kind: "other" };
  if (handshake.length < 4 + length) return { kind: bytes.length >= MAX_CLIENT_HELLO ? "other" : "partial" };
  try {
    return { kind: "hello", ...readExtensions(new Reader(handshake.subarray(4, 4 + length))) };
  } catch {
    return { kind: "other" };
  }
}

/** The handshake layer's bytes: the bodies of the leading handshake records, joined (a hello may span several). */
function handshakeBytes(bytes: Uint8Array): Uint8Array | "partial" | "other" {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    // A client sends nothing but its hello before the server answers: any other record means "not TLS".
    if (bytes[offset] !== HANDSHAKE_RECORD) return "other";
    if (bytes.length < offset + 5) break;
    const length = (bytes[offset + 3]! << 8) | bytes[offset + 4]!;
    if (length === 0 || length > 16384 + 2048) return "other";
    if (bytes.length < offset + 5 + length) break;
    parts.push(bytes.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  return parts.length === 0 ? "partial" : join(parts);
}

function readExtensions(hello: Reader): { serverName: string | null; alpn: string[] } {
  hello.skip(2 + 32); // legacy_version, random
  hello.skip(hello.u8()); // legacy_session_id
  hello.skip(hello.u16()); // cipher_suites
  hello.skip(hello.u8()); // legacy_compression_methods
  let serverName: string | null = null;
  const alpn: string[] = [];
  if (hello.done()) return { serverName, alpn };
  const extensions = hello.sub(hello.u16());
  while (!extensions.done()) {
    const type = extensions.u16();
    const body = extensions.sub(extensions.u16());
    if (type === EXT_SERVER_NAME) {
      const list = body.sub(body.u16());
      while (!list.done()) {
        const nameType = list.u8();
        const name = list.bytes(list.u16());
        if (nameType === 0) serverName = new TextDecoder().decode(name).toLowerCase();
      }
    } else if (type === EXT_ALPN) {
      const list = body.sub(body.u16());
      while (!list.done()) alpn.push(new TextDecoder().decode(list.bytes(list.u8())));
    }
  }
  return { serverName, alpn };
}

class Reader {
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}
  done(): boolean {
    return this.offset >= this.data.length;
  }
  u8(): number {
    return this.bytes(1)[0]!;
  }
  u16(): number {
    const b = this.bytes(2);
    return (b[0]! << 8) | b[1]!;
  }
  bytes(length: number): Uint8Array {
    if (this.offset + length > this.data.length) throw new RangeError("truncated ClientHello");
    const slice = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
  skip(length: number): void {
    this.bytes(length);
  }
  sub(length: number): Reader {
    return new Reader(this.bytes(length));
  }
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
