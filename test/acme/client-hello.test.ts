// The TLS front routes by the ClientHello; these are real ClientHellos, captured from node:tls.
import { describe, expect, test } from "bun:test";
import net from "node:net";
import tls from "node:tls";
import { peekClientHello } from "../../src/tls/client-hello.ts";

async function captureHello(options: { servername?: string; ALPNProtocols?: string[] }): Promise<Buffer> {
  const server = net.createServer();
  const first = new Promise<Buffer>((resolve) => server.once("connection", (socket) => socket.once("data", (data) => {
    resolve(Buffer.from(data));
    socket.destroy();
  })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const client = tls.connect({ host: "127.0.0.1", port: (server.address() as net.AddressInfo).port, rejectUnauthorized: false, ...options });
  client.on("error", () => {});
  const hello = await first;
  client.destroy();
  server.close();
  return hello;
}

describe("reading a ClientHello", () => {
  test("finds the server name and the ALPN protocols ACME's validator offers", async () => {
    const hello = await captureHello({ servername: "Chat.Example.org", ALPNProtocols: ["acme-tls/1"] });
    expect(peekClientHello(hello)).toEqual({ kind: "hello", serverName: "chat.example.org", alpn: ["acme-tls/1"] });
  });

  test("an ordinary browser-like hello has its own protocols and may lack a name", async () => {
    expect(peekClientHello(await captureHello({ ALPNProtocols: ["h2", "http/1.1"] }))).toEqual({ kind: "hello", serverName: null, alpn: ["h2", "http/1.1"] });
  });

  test("asks for more bytes until the hello is complete, at any cut", async () => {
    const hello = await captureHello({ servername: "chat.example.org", ALPNProtocols: ["acme-tls/1"] });
    for (let cut = 0; cut < hello.length; cut += 7) expect(peekClientHello(hello.subarray(0, cut)).kind).toBe("partial");
  });

  test("a hello split over two TLS records is joined", async () => {
    const hello = await captureHello({ servername: "chat.example.org", ALPNProtocols: ["acme-tls/1"] });
    const body = hello.subarray(5);
    const record = (part: Buffer) => Buffer.concat([Buffer.from([0x16, 0x03, 0x01, part.length >> 8, part.length & 0xff]), part]);
    const split = Buffer.concat([record(body.subarray(0, 40)), record(body.subarray(40))]);
    expect(peekClientHello(split)).toMatchObject({ kind: "hello", serverName: "chat.example.org", alpn: ["acme-tls/1"] });
  });

  test("anything else is handed on as it is", () => {
    expect(peekClientHello(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).kind).toBe("other");
    expect(peekClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0, 0, 1, 0])).kind).toBe("other");
    expect(peekClientHello(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0, 0, 4, 3, 3, 0xff, 0xff])).kind).toBe("other");
  });
});
