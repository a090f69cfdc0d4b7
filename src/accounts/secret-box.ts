// Seals small secrets (TOTP seeds) for the database with AES-256-GCM under a key that lives only in
// the secrets file (src/secrets.ts), so a copy of the database alone yields nothing. The additional
// data names what the box is for (e.g. "totp:42"): a box copied onto another account does not open.
// Layout: version byte (1) | 12-byte nonce | ciphertext | 16-byte tag.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = 1;
const NONCE = 12;
const TAG = 16;

export interface SecretBox {
  seal(plain: Uint8Array, purpose: string): Uint8Array;
  /** The plain bytes, or null when the box was sealed under another key or for another purpose. */
  open(box: Uint8Array, purpose: string): Uint8Array | null;
}

export function createSecretBox(base64urlKey: string): SecretBox {
  const key = Buffer.from(base64urlKey, "base64url");
  if (key.length !== 32) throw new Error("the TOTP key must be 32 bytes");
  return {
    seal(plain, purpose) {
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]));
    },
    open(box, purpose) {
      const bytes = Buffer.from(box);
      if (bytes.length < 1 + NONCE + TAG || bytes[0] !== VERSION) return null;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(1, 1 + NONCE));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
        return new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(1 + NONCE, bytes.length - TAG)), decipher.final()]));
      } catch {
        return null;
      }
    },
  };
}
