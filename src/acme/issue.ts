// One ACME order (RFC 8555 section 7.4) through acme-client: account (created or found by its key),
// order for every name, the chosen challenge answered for each, then the certificate chain.
// acme-client's own pre-check of the challenge (an HTTP or TLS request to our own name) is skipped:
// it fails behind NAT without hairpinning, and the ACME server's verdict is the one that counts.
import type * as Acme from "acme-client";
import type { AcmeChallenge } from "../config.ts";
import type { TlsPair } from "../tls/https-backends.ts";
import { loadAcme } from "./acme-http.ts";

/** Where the answers go while the ACME server validates (the redirect listener or the TLS front). */
export interface ChallengeResponders {
  addHttp(token: string, keyAuthorization: string): void;
  removeHttp(token: string): void;
  addTlsAlpn(name: string, pair: TlsPair): void;
  removeTlsAlpn(name: string): void;
}

export interface IssueRequest {
  directoryUrl: string;
  accountKey: string;
  /** Known from an earlier order at this directory; null looks the account up (or creates it). */
  accountUrl: string | null;
  email: string | null;
  domains: string[];
  challenge: AcmeChallenge;
  responders: ChallengeResponders;
}

export interface Issued extends TlsPair {
  accountUrl: string;
}

export async function issueCertificate(request: IssueRequest): Promise<Issued> {
  const acme = await loadAcme();
  const client = new acme.Client({
    directoryUrl: request.directoryUrl,
    accountKey: request.accountKey,
    // Polls a pending challenge/order after 1 s, 2 s, 4 s ... up to 30 s apart (~3.5 min in all);
    // acme-client's default first wait of 5 s made every issuance take at least that long.
    backoffMin: 1000,
    backoffMax: 30_000,
    backoffAttempts: 12,
    accountUrl: request.accountUrl ?? undefined,
  });
  if (request.accountUrl === null) await findOrCreateAccount(client, request.email);
  // ECDSA P-256: small, fast handshakes, accepted everywhere Let's Encrypt is.
  const [key, csr] = await acme.crypto.createCsr({ altNames: request.domains }, await acme.crypto.createPrivateEcdsaKey());
  const { responders } = request;
  const cert = await client.auto({
    csr,
    skipChallengeVerification: true,
    challengePriority: [request.challenge],
    async challengeCreateFn(authz, challenge, keyAuthorization) {
      // acme-client's types list only http-01 and dns-01; the server also offers tls-alpn-01.
      const type: string = challenge.type;
      if (type === "http-01") responders.addHttp(challenge.token, keyAuthorization);
      else if (type === "tls-alpn-01") {
        // acme-client's challenge certificate carries only keyCertSign|cRLSign key usage; Bun's TLS
        // (BoringSSL) refuses it with an ECDSA key (KEY_USAGE_BIT_INCORRECT) but accepts it with the
        // RSA key acme-client makes by default.
        const [alpnKey, alpnCert] = await acme.crypto.createAlpnCertificate(authz, keyAuthorization);
        responders.addTlsAlpn(authz.identifier.value, { cert: alpnCert.toString(), key: alpnKey.toString() });
      } else throw new Error(`the ACME server offers no ${request.challenge} challenge for ${authz.identifier.value}`);
    },
    async challengeRemoveFn(authz, challenge) {
      const type: string = challenge.type;
      if (type === "http-01") responders.removeHttp(challenge.token);
      else if (type === "tls-alpn-01") responders.removeTlsAlpn(authz.identifier.value);
    },
  });
  return { cert, key: key.toString(), accountUrl: client.getAccountUrl() };
}

/**
 * Looks the key's account up first: creating it when it already exists makes acme-client send an
 * update holding only termsOfServiceAgreed, which Pebble refuses ("Use POST-as-GET ... instead of
 * doing an empty update"). Using --domain means agreeing to the CA's terms of service (README).
 */
async function findOrCreateAccount(client: Acme.Client, email: string | null): Promise<void> {
  try {
    await client.createAccount({ onlyReturnExisting: true });
  } catch {
    await client.createAccount({ termsOfServiceAgreed: true, contact: email ? [`mailto:${email}`] : undefined });
  }
}

export async function createAccountKey(): Promise<string> {
  return (await (await loadAcme()).crypto.createPrivateEcdsaKey()).toString();
}
