// TLS 1.2 and 1.3 only, forward-secret key exchange with AEAD ciphers only. Bun offers CBC and
// static-RSA suites by default when given an RSA certificate; this list removes them. TLS 1.3
// suites are all AEAD and are not governed by this string.
export const TLS_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");
