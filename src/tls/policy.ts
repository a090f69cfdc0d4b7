// TLS 1.2 and 1.3 only, forward-secret key exchange with AEAD ciphers only. Bun offers CBC and
// static-RSA suites by default when given an RSA certificate; this list removes them. TLS 1.3
// suites are all AEAD and are not governed by this string.
import { constants } from "node:crypto";

/** In the server's order of preference: AES-128-GCM (fast with AES hardware), AES-256-GCM, ChaCha20. */
export const TLS_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

/**
 * What every TLS listener passes to Bun: the suites above, in the server's order rather than the
 * client's. Bun has no `honorCipherOrder` (it was silently ignored); SSL_OP_CIPHER_SERVER_PREFERENCE
 * through `secureOptions` is what took effect (checked with openssl s_client, test/tls/). In TLS 1.3
 * BoringSSL picks among its three AEAD suites itself (ChaCha20 for a client that lists it first,
 * i.e. one without AES hardware); Bun offers no setting for that, and every choice there is sound.
 */
export const TLS_POLICY = {
  ciphers: TLS_CIPHERS,
  secureOptions: constants.SSL_OP_CIPHER_SERVER_PREFERENCE,
} as const;
