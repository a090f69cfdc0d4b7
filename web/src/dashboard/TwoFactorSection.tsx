// Two-factor sign-in with an authenticator app: set-up (a QR code, drawn as SVG by a library and shown
// as an image so the strict CSP holds, plus the secret as text), confirmation with a first code, the
// ten recovery codes shown once, regenerating them, turning it off.
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { renderSVG } from "uqr";
import { api, call } from "../api/http.ts";
import type { SecurityOverview } from "../api/types.ts";
import { formatDateTime, t, tn } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { withReauth } from "../stores/reauth.ts";
import { enrolled, me } from "../stores/session.ts";
import { nameWithUsername } from "../chat/names.ts";
import { serverLabel } from "../components/page-title.ts";
import { recoveryFileName, recoveryFileText } from "./recovery-file.ts";
import { showToast } from "../stores/toast.ts";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { CopyButton } from "../components/CopyButton.tsx";
import { createFormAction, FormError } from "../components/form-action.tsx";

/** The QR code as an image: an SVG data URL is allowed by img-src and can run nothing. */
export const qrImage = (uri: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(uri, { border: 2, pixelSize: 6 }))}`;
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

export function RecoveryCodes(props: { codes: string[]; onDone: () => void }) {
  const text = () => props.codes.join("\n") + "\n";
  // When they were shown, not when the file was saved: a later click must not date them anew.
  const madeAt = Date.now();
  const download = () => {
    const user = me();
    const file = { codes: props.codes, server: serverLabel(), origin: location.origin, account: user ? nameWithUsername(user) : "", username: user?.username ?? "", madeAt };
    const url = URL.createObjectURL(new Blob([recoveryFileText(file)], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = recoveryFileName(file);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div class="created-secret" role="status">
      <p>{t("recovery.shownOnce")}</p>
      <ol class="recovery-codes" data-testid="recovery-codes">
        <For each={props.codes}>{(code) => <li><code>{code}</code></li>}</For>
      </ol>
      <div class="row">
        <CopyButton value={text()} label={t("recovery.copy")} />
        <button type="button" class="button small" onClick={download}>{t("recovery.download")}</button>
        <button type="button" class="button small primary" onClick={props.onDone}>{t("recovery.saved")}</button>
      </div>
    </div>
  );
}

export function TwoFactorSection(props: { security: SecurityOverview | undefined; onChanged: () => void }) {
  const [setup, setSetup] = createSignal<{ secret: string; uri: string } | null>(null);
  const [codes, setCodes] = createSignal<string[] | null>(null);
  const [code, setCode] = createSignal("");
  const [confirmOff, setConfirmOff] = createSignal(false);
  const { busy, error, setError, run } = createFormAction();
  const enabled = () => props.security?.totp.enabled === true;

  const begin = () =>
    run(async () => {
      setSetup(await call(api.account.totp.setup.post()));
      setCode("");
    });
  const confirm = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await withReauth(() => call(api.account.totp.enable.post({ code: code().trim() })));
      if (!answer) return;
      setSetup(null);
      setCodes(answer.recoveryCodes);
      enrolled();
      showToast(t("totp.enabled"));
      props.onChanged();
    });
  };
  const regenerate = () =>
    run(async () => {
      const answer = await withReauth(() => call(api.account["recovery-codes"].post()));
      if (answer) setCodes(answer.recoveryCodes);
      props.onChanged();
    });
  const turnOff = async () => {
    setConfirmOff(false);
    try {
      const done = await withReauth(() => call(api.account.totp.disable.post()).then(() => true));
      if (done) showToast(t("totp.disabled"));
    } catch (err) {
      setError(errorText(err));
    }
    props.onChanged();
  };

  return (
    <section class="card wide" aria-labelledby="totp-title" id="two-factor">
      <div class="card-heading">
        <h2 id="totp-title">{t("totp.title")}</h2>
        <Show when={props.security}>
          <span class={enabled() ? "tag accent" : "tag"}>{enabled() ? t("totp.on") : t("totp.off")}</span>
        </Show>
      </div>
      <p class="muted">{t("totp.text")}</p>
      <FormError error={error()} />
      <Show when={codes()}>{(list) => <RecoveryCodes codes={list()} onDone={() => setCodes(null)} />}</Show>
      <Switch>
        <Match when={setup()}>
          {(pending) => (
            <form onSubmit={confirm} class="totp-setup">
              <ol class="steps">
                <li>{t("totp.step1")}</li>
                <li>
                  {t("totp.step2")}
                  <img class="qr" src={qrImage(pending().uri)} width="200" height="200" alt={t("totp.qrAlt")} />
                  <span class="label">{t("totp.secretLabel")}</span>
                  <div class="secret-row">
                    <code class="secret" data-testid="totp-secret">{grouped(pending().secret)}</code>
                    <CopyButton value={pending().secret} label={t("totp.copySecret")} />
                  </div>
                </li>
                <li>
                  <label for="totp-code">{t("totp.step3")}</label>
                  <input id="totp-code" class="input" inputMode="numeric" autocomplete="one-time-code" maxLength={8} value={code()} onInput={(e) => setCode(e.currentTarget.value)} />
                </li>
              </ol>
              <div class="row">
                <button type="submit" class="button primary" disabled={busy() || code().trim().length < 6}>{t("totp.confirm")}</button>
                <button type="button" class="button" onClick={() => setSetup(null)}>{t("common.cancel")}</button>
              </div>
            </form>
          )}
        </Match>
        <Match when={enabled()}>
          <p class="small-text muted">
            {t("totp.since", { date: formatDateTime(props.security!.totp.enabledAt ?? Date.now()) })} · {tn("recovery.left", props.security!.recoveryCodesLeft)}
          </p>
          <div class="row">
            <button type="button" class="button" disabled={busy()} onClick={regenerate}>{t("recovery.regenerate")}</button>
            <button type="button" class="button danger" disabled={busy()} onClick={() => setConfirmOff(true)}>{t("totp.turnOff")}</button>
          </div>
        </Match>
        <Match when={props.security}>
          <button type="button" class="button primary" disabled={busy()} onClick={begin}>{t("totp.turnOn")}</button>
        </Match>
      </Switch>
      <Show when={confirmOff()}>
        <ConfirmDialog title={t("totp.offTitle")} text={t("totp.offText")} confirm={t("totp.turnOff")} danger onConfirm={turnOff} onCancel={() => setConfirmOff(false)} />
      </Show>
    </section>
  );
}
