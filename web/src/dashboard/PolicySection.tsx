// The admin's second-factor policy: nobody, admins or everyone must have one, with N logins of grace
// for those who do not yet.
import { createResource, createSignal, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import type { FactorPolicy } from "../api/types.ts";
import { t } from "../i18n/index.ts";
import { showToast } from "../stores/toast.ts";
import { createFormAction, FormError } from "../components/form-action.tsx";

const POLICIES: FactorPolicy[] = ["off", "admins", "everyone"];

export function PolicySection() {
  const [policy, { mutate }] = createResource(() => call(api.admin["second-factor-policy"].get()));
  // An errored resource throws when read (an admin held for enrolment is refused): show nothing then.
  const current = () => (policy.error ? undefined : policy());
  const [grace, setGrace] = createSignal<string | null>(null);
  const { busy, error, run } = createFormAction();
  const save = (policy: FactorPolicy, graceLogins: number) =>
    run(async () => {
      mutate(await call(api.admin["second-factor-policy"].put({ policy, graceLogins })));
      showToast(t("policy.saved"));
    });
  const graceValue = () => grace() ?? String(current()?.graceLogins ?? 3);
  return (
    <section class="card" aria-labelledby="policy-title">
      <h2 id="policy-title">{t("policy.title")}</h2>
      <FormError error={error()} />
      <Show when={current()}>
        {(policy) => (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save(policy().policy, Math.max(0, Math.min(100, Number(graceValue()) || 0)));
            }}
          >
            <fieldset class="choice-group">
              <legend class="visually-hidden">{t("policy.title")}</legend>
              <For each={POLICIES}>
                {(choice) => (
                  <label class="choice">
                    <input type="radio" name="factor-policy" value={choice} checked={policy().policy === choice} onChange={() => void save(choice, Number(graceValue()) || 0)} />
                    <span>
                      <strong>{t(`policy.${choice}`)}</strong>
                      <span class="muted small-text">{t(`policy.hint.${choice}`)}</span>
                    </span>
                  </label>
                )}
              </For>
            </fieldset>
            <div class="field">
              <label for="policy-grace">{t("policy.grace")}</label>
              <input id="policy-grace" class="input" type="number" min="0" max="100" value={graceValue()} onInput={(e) => setGrace(e.currentTarget.value)} aria-describedby="policy-grace-hint" />
              <p class="hint" id="policy-grace-hint">{t("policy.graceHint")}</p>
            </div>
            <button type="submit" class="button" disabled={busy()}>{t("common.save")}</button>
          </form>
        )}
      </Show>
    </section>
  );
}
