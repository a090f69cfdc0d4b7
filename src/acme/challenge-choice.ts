// Which ACME challenge VaultRoom answers, from the ports it listens on. ACME servers always connect to
// port 443 for TLS-ALPN-01 and to port 80 for HTTP-01 (RFC 8737, RFC 8555 section 8.3), so a listener
// on another port works only behind a port forward, which VaultRoom cannot see from inside.
import type { AcmeChallenge, Config } from "../config.ts";

export interface ChallengeChoice {
  challenge: AcmeChallenge;
  /** Why this one, in plain words (logged). */
  reason: string;
  /** Why not the other one, in plain words (logged). */
  otherReason: string;
}

export function chooseChallenge(config: Pick<Config, "port" | "redirectPort"> & { acme: { challenge: AcmeChallenge | null } }): ChallengeChoice {
  const https = config.port;
  const http = config.redirectPort;
  const noHttp = "HTTP-01 cannot be used: there is no --redirect-port for the ACME server's plain-HTTP request";
  if (config.acme.challenge === "http-01") {
    return {
      challenge: "http-01",
      reason: `--acme-challenge http-01: answered on the redirect listener (port ${http})`,
      otherReason: "TLS-ALPN-01 not used: --acme-challenge asks for HTTP-01",
    };
  }
  if (config.acme.challenge === "tls-alpn-01") {
    return {
      challenge: "tls-alpn-01",
      reason: `--acme-challenge tls-alpn-01: answered on the HTTPS port (${https})`,
      otherReason: "HTTP-01 not used: --acme-challenge asks for TLS-ALPN-01",
    };
  }
  if (https === 443) {
    return {
      challenge: "tls-alpn-01",
      reason: "VaultRoom listens on port 443, where ACME servers connect for TLS-ALPN-01",
      otherReason: http === null ? noHttp : "HTTP-01 not needed: TLS-ALPN-01 works on port 443 without a second port",
    };
  }
  if (http === 80) {
    return {
      challenge: "http-01",
      reason: "the redirect listener is on port 80, where ACME servers send HTTP-01",
      otherReason: `TLS-ALPN-01 cannot be used: ACME servers connect to port 443 and VaultRoom listens on ${https}`,
    };
  }
  if (http !== null) {
    return {
      challenge: "http-01",
      reason: `the redirect listener (port ${http}) answers HTTP-01 if port 80 is forwarded to it`,
      otherReason: `TLS-ALPN-01 not chosen: ACME servers connect to port 443 and VaultRoom listens on ${https}`,
    };
  }
  return {
    challenge: "tls-alpn-01",
    reason: `the HTTPS port (${https}) answers TLS-ALPN-01 if port 443 is forwarded to it`,
    otherReason: noHttp,
  };
}
