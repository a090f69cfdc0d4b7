// Makes the web app's install icons (PNG, from the favicon's shapes) and the short notification
// sound, written into web/public/ and committed: run again only to change them. No image or audio
// tool is needed: the PNG is encoded here (zlib from Bun), the WAV is 16-bit PCM.
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const out = join(import.meta.dir, "../web/public");
const ACCENT = [0x2f, 0x6f, 0x5e];
const WHITE = [0xff, 0xff, 0xff];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The favicon's speech bubble on the accent colour, full bleed (a maskable icon keeps its centre). */
function icon(size: number): Buffer {
  const s = size / 32;
  const inBubble = (x: number, y: number) => {
    const bx = x / s;
    const by = y / s;
    const body = bx >= 7 && bx <= 25 && by >= 10 && by <= 22 && !((bx < 9 || bx > 23) && (by < 12 || by > 20) && Math.hypot(bx < 9 ? bx - 9 : bx - 23, by < 12 ? by - 12 : by - 20) > 2);
    const tail = bx >= 10 && bx <= 15 && by >= 22 && by <= 26 && by - 22 <= ((15 - bx) / 5) * 4;
    const dot = Math.hypot(bx - 16, by - 16) < 2.2;
    return (body || tail) && !dot;
  };
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set(inBubble(x + 0.5, y + 0.5) ? WHITE : ACCENT, 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })), chunk("IEND", new Uint8Array())]);
}

/** Two soft notes, 0.25 s, 16 kHz mono. */
function chime(): Buffer {
  const rate = 16_000;
  const samples = Math.floor(rate * 0.25);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const f = t < 0.11 ? 880 : 1320;
    const local = t < 0.11 ? t : t - 0.11;
    const envelope = Math.min(1, local * 200) * Math.exp(-local * 18);
    data.writeInt16LE(Math.round(Math.sin(2 * Math.PI * f * t) * envelope * 0.35 * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

writeFileSync(join(out, "icon-192.png"), icon(192));
writeFileSync(join(out, "icon-512.png"), icon(512));
writeFileSync(join(out, "notify.wav"), chime());
console.log("wrote icon-192.png, icon-512.png, notify.wav to web/public");
