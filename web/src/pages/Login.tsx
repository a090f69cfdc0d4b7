import { createEffect, createResource, createSignal, onCleanup, Show } from "solid-js";
import { A, useSearchParams } from "@solidjs/router";
import { ApiError, api, call } from "../api/http.ts";
import { assertPasskey, autofillSupported, cancelCeremony, cancelled, usePasskeyConfig } from "../api/passkeys.ts";
import type { Me, SecondFactorMethod } from "../api/types.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { sessionEndReason, signedIn, type SessionEndReason } from "../stores/session.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { PasskeyNote } from "../components/PasskeyNote.tsx";
import { SecondFactorForm } from "../components/SecondFactorForm.tsx";
import { createFormAction, FormError } from "../components/form-action.tsx";
import { serverLabel, usePageTitle } from "../components/page-title.ts";
import { focusWhenIdle } from "../components/focus-when-idle.ts";

const ENDED_TEXT = {
  ended: "login.sessionEnded",
  account_disabled: "login.endedDisabled",
  account_deleted: "login.endedDeleted",
  password_reset: "login.endedPasswordReset",
} as const satisfies Record<SessionEndReason, string>;

export function Login() {
  usePageTitle(() => t("login.submit"));
  const [params] = useSearchParams();
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [methods, setMethods] = createSignal<SecondFactorMethod[] | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  // No "Create an account" where nobody can (registration closed): the link led to a refusal.
  const [registration] = createResource(() => call(api.auth.registration.get()).catch(() => null));
  const mayRegister = () => {
    const info = registration();
    return info === undefined || info === null || info.mode !== "closed" || info.firstAccount;
  };
  const { busy, error, setError, run } = createFormAction();
  const passkeys = usePasskeyConfig();
  const passkeysWork = () => passkeys()?.blocker === null;
  // One banner at a time (issue 19 §10): why the last session ended, or that a reset took, until the
  // person tries again — then only the answer to that try shows.
  const arrival = (): string | null => {
    if (methods() || error() || notice() || busy()) return null;
    if (params.ended) return t(ENDED_TEXT[sessionEndReason(String(params.ended))]);
    if (params.reset) return t("login.passwordReset");
    return null;
  };

  const done = (user: Me) => {
    cancelCeremony();
    // The login page then sends me on (App's GuestOnly); a reset password or enrolment is asked for first.
    void signedIn(user);
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setNotice(null);
    void run(
      async () => {
        const answer = await call(api.auth.login.post({ username: username().trim(), password: password() }), { expectUnauthorized: true });
        if ("secondFactor" in answer) {
          // The username field is gone: so is the passkey request that was offering itself in it.
          cancelCeremony();
          setPassword("");
          setMethods(answer.methods);
        } else done(answer.user);
      },
      (err) => (err instanceof ApiError && err.status === 401 ? t("login.invalid") : errorText(err)),
    );
  };

  /** A passkey alone: the browser lists the ones it holds for this server, no username needed. */
  const withPasskey = async (autofill: boolean) => {
    try {
      if (!autofill) cancelCeremony();
      const { options } = await call(api.auth.passkey.options.post());
      const response = await assertPasskey(options, autofill);
      const { user } = await call(api.auth.passkey.post({ response: response as never }), { expectUnauthorized: true });
      done(user);
    } catch (err) {
      if (!cancelled(err)) setError(errorText(err));
    }
  };

  // Conditional UI: where the browser can, the username field offers this server's passkeys.
  let autofillStarted = false;
  createEffect(() => {
    const state = passkeys();
    if (!state || state.blocker !== null || autofillStarted || methods()) return;
    autofillStarted = true;
    void autofillSupported().then((supported) => {
      if (supported) void withPasskey(true);
    });
  });
  onCleanup(cancelCeremony);

  return (
    <AuthLayout title={methods() ? t("login.secondFactorTitle") : t("login.title", { server: serverLabel() })} namesServer={!methods()}>
      <Show when={arrival()}>
        {(text) => <p class={params.ended === "account_disabled" || params.ended === "account_deleted" ? "form-error" : "form-success"} role="status">{text()}</p>}
      </Show>
      <Show when={notice()}>
        <p class="form-error" role="alert">{notice()}</p>
      </Show>
      <Show
        when={methods()}
        fallback={
          <>
            <form onSubmit={submit} novalidate>
              <FormError error={error()} />
              <div class="field">
                <label for="login-username">{t("field.username")}</label>
                <input
                  id="login-username"
                  ref={focusWhenIdle}
                  class="input"
                  name="username"
                  autocomplete={passkeysWork() ? "username webauthn" : "username"}
                  autocapitalize="none"
                  spellcheck={false}
                  required
                  value={username()}
                  onInput={(e) => setUsername(e.currentTarget.value)}
                />
              </div>
              <div class="field">
                <label for="login-password">{t("field.password")}</label>
                <input
                  id="login-password"
                  class="input"
                  type="password"
                  name="password"
                  autocomplete="current-password"
                  required
                  value={password()}
                  onInput={(e) => setPassword(e.currentTarget.value)}
                />
              </div>
              <button type="submit" class="button primary block" disabled={busy() || !username().trim() || !password()}>
                {busy() ? t("login.busy") : t("login.submit")}
              </button>
            </form>
            <div class="second-factor-options">
              <Show when={passkeysWork()} fallback={<PasskeyNote blocker={passkeys()?.blocker ?? null} />}>
                <button type="button" class="button block" onClick={() => void withPasskey(false)}>{t("login.withPasskey")}</button>
              </Show>
            </div>
            <details class="forgot">
              <summary>{t("login.forgot")}</summary>
              <p>{t("login.forgotRecovery")}</p>
              <p>{t("login.forgotAdmin")}</p>
            </details>
          </>
        }
      >
        {(list) => (
          <SecondFactorForm
            methods={list()}
            passkeysWork={passkeysWork()}
            onDone={done}
            onExpired={(message) => {
              setMethods(null);
              setNotice(message);
            }}
            onCancel={() => {
              void call(api.auth["second-factor"].cancel.post()).catch(() => {});
              setMethods(null);
            }}
          />
        )}
      </Show>
      <Show when={mayRegister()}>
        <p class="auth-switch">
          {t("login.noAccount")} <A href="/register">{t("login.registerLink")}</A>
        </p>
      </Show>
    </AuthLayout>
  );
}
