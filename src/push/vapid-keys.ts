// A new VAPID key pair (RFC 8292): P-256, the public key as the uncompressed point (65 bytes) and the
// private key as its 32-byte scalar, both base64url — the form browsers take as applicationServerKey
// and web-push signs with. Made with the runtime's own crypto rather than web-push's helper, so that
// creating the secrets (both threads at start, a cluster's first node) does not load web-push and
// its ASN.1 and big-number libraries; the sender loads them at its first push.
import { generateKeyPairSync } from "node:crypto";

export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = privateKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y || !jwk.d) throw new Error("the runtime returned an incomplete P-256 key");
  const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return { publicKey: point.toString("base64url"), privateKey: jwk.d };
}
