// The certificate people's browsers see: who issued it, until when, and (with --domain) how its
// renewal is going. A certificate close to expiry that could not be renewed is shown as an alert.
import { For, Show } from "solid-js";
import type { CertificateStatus } from "../api/types.ts";
import { formatDate, formatDateTime, t } from "../i18n/index.ts";

/** "CN=Pebble Intermediate CA 55d632, O=..." -> "Pebble Intermediate CA 55d632". */
function commonName(distinguishedName: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(distinguishedName)?.[1] ?? distinguishedName;
}

export function CertificateSection(props: { certificate: CertificateStatus | null | undefined }) {
  return (
    <Show when={props.certificate}>
      {(c) => (
        <section class="card" aria-labelledby="certificate-title" data-testid="certificate-section">
          <h2 id="certificate-title">{t("certificate.title")}</h2>
          <Show when={c().expiresSoon}>
            <p class="form-error" role="alert">
              {t(c().expired ? "certificate.expired" : "certificate.expiresSoon", { date: formatDateTime(Date.parse(c().notAfter)) })}
            </p>
          </Show>
          <dl class="stats">
            <div class="stat">
              <dt>{t("certificate.issuer")}</dt>
              <dd>{c().selfSigned ? t("certificate.selfSigned") : commonName(c().issuer)}</dd>
            </div>
            <div class="stat">
              <dt>{t("certificate.expires")}</dt>
              <dd title={formatDateTime(Date.parse(c().notAfter))}>{formatDate(Date.parse(c().notAfter))}</dd>
            </div>
          </dl>
          <p class="muted small-text">
            <For each={c().names}>{(name, index) => <>{index() > 0 ? ", " : ""}{name}</>}</For>
          </p>
          <Show when={c().acme} fallback={<p class="muted small-text">{t(c().selfSigned ? "certificate.hintSelfSigned" : "certificate.hintOwn")}</p>}>
            {(acme) => (
              <>
                <p class="muted small-text">
                  {acme().state === "pending"
                    ? t("certificate.acmePending")
                    : acme().state === "failing"
                      ? t("certificate.acmeFailing", { date: acme().nextAttemptAt ? formatDateTime(Date.parse(acme().nextAttemptAt!)) : "—" })
                      : t("certificate.acmeRenews", { date: acme().renewAt ? formatDateTime(Date.parse(acme().renewAt!)) : "—" })}
                </p>
                <Show when={acme().lastError}>
                  <p class="form-error small-text">{acme().lastError}</p>
                </Show>
              </>
            )}
          </Show>
        </section>
      )}
    </Show>
  );
}
