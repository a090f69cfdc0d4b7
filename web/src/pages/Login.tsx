import { createSignal, Show } from "solid-js";
import { A, useSearchParams } from "@solidjs/router";
import { ApiError, api, call } from "../api/http.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { signedIn } from "../stores/session.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { createFormAction, FormError } from "../components/form-action.tsx";
import { usePageTitle } from "../components/page-title.ts";

export function Login() {
  usePageTitle(() => t("login.submit"));
  const [params] = useSearchParams();
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const { busy, error, run } = createFormAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void run(
      async () => {
        const { user } = await call(api.auth.login.post({ username: username().trim(), password: password() }), { expectUnauthorized: true });
        // The login page then sends me on (App's GuestOnly); a reset password is asked for first.
        signedIn(user);
      },
      (err) => (err instanceof ApiError && err.status === 401 ? t("login.invalid") : errorText(err)),
    );
  };

  return (
    <AuthLayout title={t("login.title")}>
      <Show when={params.ended}>
        <p class="form-success" role="status">{t("login.sessionEnded")}</p>
      </Show>
      <form onSubmit={submit} novalidate>
        <FormError error={error()} />
        <div class="field">
          <label for="login-username">{t("field.username")}</label>
          <input
            id="login-username"
            class="input"
            name="username"
            autocomplete="username"
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
      <p class="auth-switch">
        {t("login.noAccount")} <A href="/register">{t("login.registerLink")}</A>
      </p>
    </AuthLayout>
  );
}
