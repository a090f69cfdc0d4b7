// The page a reset link opens: /reset-password#token=… (the token rides in the fragment, so no server
// log ever holds it). A new password, once; then every session of the account has ended and the
// person logs in (with their second factor, if they have one).
import { createResource, createSignal, Show } from "solid-js";
import { A, useNavigate } from "@solidjs/router";
import { PASSWORD_MIN } from "../api/account-limits.ts";
import { api, call } from "../api/http.ts";
import { t } from "../i18n/index.ts";
import { nameWithUsername } from "../chat/names.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { createFormAction, FormError } from "../components/form-action.tsx";
import { usePageTitle } from "../components/page-title.ts";

export function ResetPassword() {
  usePageTitle(() => t("reset.title"));
  const navigate = useNavigate();
  const token = typeof location === "undefined" ? "" : (/[#&]token=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1] ?? "");
  const [password, setPassword] = createSignal("");
  // Which account the link is for (issue 19); a link already spent or expired says so before any typing.
  const [account] = createResource(
    () => token || null,
    async (value) => {
      try {
        return (await call(api.auth["reset-password"].account.post({ token: value }))).account ?? "invalid";
      } catch {
        // Server out of reach: the form stays, and using the link gives the answer.
        return null;
      }
    },
  );
  const usable = () => token !== "" && account() !== "invalid";
  const holder = () => {
    const answer = account();
    return answer && answer !== "invalid" ? answer : null;
  };
  const { busy, error, run } = createFormAction();
  return (
    <AuthLayout title={t("reset.title")}>
      <Show when={usable()} fallback={<p class="form-error" role="alert">{t("error.reset_link_invalid")}</p>}>
        <Show when={holder()}>
          {(who) => <p class="reset-account" data-testid="reset-account">{t("reset.forAccount", { name: nameWithUsername(who()) })}</p>}
        </Show>
        <p class="muted">{t("reset.text")}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await call(api.auth["reset-password"].post({ token, newPassword: password() }));
              navigate("/login?reset=1", { replace: true });
            });
          }}
          novalidate
        >
          <FormError error={error()} />
          {/* For the password manager: the new password is saved against this account. */}
          <Show when={holder()}>
            {(who) => <input type="text" class="visually-hidden" autocomplete="username" value={who().username} readOnly tabIndex={-1} aria-hidden="true" />}
          </Show>
          <div class="field">
            <label for="reset-password">{t("account.newPassword")}</label>
            <input id="reset-password" class="input" type="password" autocomplete="new-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} aria-describedby="reset-password-hint" />
            <p class="hint" id="reset-password-hint">{t("reset.hint", { passwordMin: PASSWORD_MIN })}</p>
          </div>
          <button type="submit" class="button primary block" disabled={busy() || [...password()].length < PASSWORD_MIN}>{t("reset.submit")}</button>
        </form>
      </Show>
      <p class="auth-switch">
        <A href="/login">{t("reset.backToLogin")}</A>
      </p>
    </AuthLayout>
  );
}
