// Keeps a certificate from the ACME server in service: reuses the stored one at start-up (no request
// to the CA while it is good), otherwise issues one right away while the fallback certificate serves;
// renews at two thirds of its lifetime; swaps each new certificate in without a restart
// (tls/https-endpoint.ts). A failure changes nothing that is being served: it is logged with the CA's
// own words and retried with backoff (schedule.ts). One attempt at a time.
import type { AcmeConfig } from "../config.ts";
import type { Logger } from "../log.ts";
import type { HttpsEndpoint } from "../tls/https-endpoint.ts";
import { parseCertificate, type LiveCertificate, type ParsedCertificate } from "../tls/certificate-status.ts";
import type { ChallengeChoice } from "./challenge-choice.ts";
import type { HttpChallenges } from "./http-challenges.ts";
import { createAccountKey, issueCertificate } from "./issue.ts";
import { plainError, rateLimitWait, warnIfExpiring } from "./failures.ts";
import { renewalTime, retryDelay, runAt, type Timer } from "./schedule.ts";
import { forgetAccountUrl, readAccountKey, readAccountUrl, writeAccountKey, writeAccountUrl, writeCertificate } from "./store.ts";

export interface AcmeManagerDeps {
  acme: AcmeConfig;
  certsDir: string;
  logger: Logger;
  live: LiveCertificate;
  endpoint: HttpsEndpoint;
  httpChallenges: HttpChallenges;
  choice: ChallengeChoice;
  /** The stored certificate being served at start-up, if any. */
  stored: ParsedCertificate | null;
}

export interface AcmeManager {
  stop(): void;
}

export function startAcmeManager(deps: AcmeManagerDeps): AcmeManager {
  const { acme, logger, live } = deps;
  let failures = 0;
  let timer: Timer | null = null;
  let stopped = false;
  let current = deps.stored;

  const setStatus = (state: "valid" | "pending" | "failing", lastError: string | null, nextAttemptAt: Date | null) =>
    live.setAcme({
      domains: acme.domains,
      challenge: deps.choice.challenge,
      state,
      lastError,
      renewAt: current ? renewalTime(current.notBefore, current.notAfter).toISOString() : null,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    });

  const schedule = (at: Date) => {
    timer?.cancel();
    timer = runAt(at, () => void attempt());
  };

  const attempt = async () => {
    if (stopped) return;
    setStatus("pending", null, null);
    const started = performance.now();
    let accountUrl: string | null = null;
    logger.info("acme_attempt", { domains: acme.domains.join(","), challenge: deps.choice.challenge, directory: acme.directoryUrl });
    try {
      const accountKey = readAccountKey(deps.certsDir) ?? (await newAccountKey(deps.certsDir));
      accountUrl = readAccountUrl(deps.certsDir, acme.directoryUrl);
      const issued = await issueCertificate({
        directoryUrl: acme.directoryUrl,
        accountKey,
        accountUrl,
        email: acme.email,
        domains: acme.domains,
        challenge: deps.choice.challenge,
        responders: {
          addHttp: (token, answer) => deps.httpChallenges.add(token, answer),
          removeHttp: (token) => deps.httpChallenges.remove(token),
          addTlsAlpn: (name, challengePair) => deps.endpoint.addAlpnChallenge(name, challengePair),
          removeTlsAlpn: (name) => deps.endpoint.removeAlpnChallenge(name),
        },
      });
      if (issued.accountUrl !== accountUrl) writeAccountUrl(deps.certsDir, acme.directoryUrl, issued.accountUrl);
      const pair = { cert: issued.cert, key: issued.key };
      const parsed = await parseCertificate(pair.cert);
      const missing = acme.domains.filter((name) => !parsed.names.includes(name));
      if (missing.length) throw new Error(`the ACME server issued a certificate without ${missing.join(", ")}`);
      if (stopped) return;
      writeCertificate(deps.certsDir, acme, pair);
      const previous = live.status();
      deps.endpoint.useCertificate(pair);
      live.replace(parsed, "acme");
      current = parsed;
      failures = 0;
      const renewAt = renewalTime(parsed.notBefore, parsed.notAfter);
      setStatus("valid", null, renewAt);
      logger.info("certificate_switched", {
        message: "New connections get the new certificate; open connections and WebSockets keep going.",
        ms: Math.round(performance.now() - started),
        issuer: parsed.issuer,
        notAfter: parsed.notAfter.toISOString(),
        renewAt: renewAt.toISOString(),
        certificateSha256: parsed.fingerprint,
        previousSha256: previous.fingerprint,
        previousSource: previous.source,
      });
      schedule(renewAt);
    } catch (error) {
      if (stopped) return;
      failures++;
      const detail = plainError(error);
      if (accountUrl && /account/i.test(detail) && /not found|not exist|no existing|unknown/i.test(detail)) {
        forgetAccountUrl(deps.certsDir, acme.directoryUrl);
      }
      const delay = Math.max(retryDelay(failures, acme.retrySeconds), rateLimitWait(detail));
      const next = new Date(Date.now() + delay);
      setStatus("failing", detail, next);
      logger.warn("acme_failed", {
        message: `Could not get a certificate for ${acme.domains.join(", ")}: ${detail}. VaultRoom keeps serving its current certificate.`,
        error: detail,
        attempt: failures,
        retryInSeconds: Math.round(delay / 1000),
        nextAttemptAt: next.toISOString(),
      });
      warnIfExpiring(logger, live, detail);
      schedule(next);
    }
  };

  if (current && renewalTime(current.notBefore, current.notAfter).getTime() > Date.now()) {
    const renewAt = renewalTime(current.notBefore, current.notAfter);
    setStatus("valid", null, renewAt);
    logger.info("acme_certificate_reused", {
      message: "The stored certificate is good: no request to the ACME server until it is due for renewal.",
      notAfter: current.notAfter.toISOString(),
      renewAt: renewAt.toISOString(),
    });
    schedule(renewAt);
  } else {
    schedule(new Date());
  }

  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}

async function newAccountKey(certsDir: string): Promise<string> {
  const key = await createAccountKey();
  writeAccountKey(certsDir, key);
  return key;
}
