// Headers every response carries, 404s and 500s included (set in onRequest: onAfterHandle skips errors).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
  "interest-cohort=()",
].join(", ");

export function securityHeaders(selfSigned: boolean): Record<string, string> {
  return {
    // A browser ignores HSTS on a certificate it does not trust; keep it short while self-signed so a
    // later switch of name or certificate is not locked in for a year.
    "strict-transport-security": selfSigned ? "max-age=86400" : "max-age=31536000; includeSubDomains",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": PERMISSIONS_POLICY,
  };
}
