import { For } from "solid-js";
import { LOCALES, locale, setLocale, t, type Locale } from "../i18n/index.ts";

let nextId = 0;

/** The interface language, remembered in this browser. */
export function LanguageSwitch(props: { hideLabel?: boolean }) {
  const id = `language-${++nextId}`;
  return (
    <div class="field language-switch">
      <label for={id} classList={{ "visually-hidden": props.hideLabel === true }}>{t("language.label")}</label>
      <select id={id} class="select" value={locale()} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
        <For each={LOCALES}>{(code) => <option value={code}>{t(`language.${code}`)}</option>}</For>
      </select>
    </div>
  );
}
