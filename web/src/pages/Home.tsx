import { Show } from "solid-js";
import { A } from "@solidjs/router";
import { t } from "../i18n/index.ts";
import { me } from "../stores/session.ts";
import { Logo } from "../components/Logo.tsx";
import { Icon, type IconName } from "../components/Icon.tsx";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import type { MessageKey } from "../i18n/en.ts";

const FEATURES: { icon: IconName; title: MessageKey; text: MessageKey }[] = [
  { icon: "message", title: "home.feature.chat.title", text: "home.feature.chat.text" },
  { icon: "shield", title: "home.feature.private.title", text: "home.feature.private.text" },
  { icon: "lock", title: "home.feature.yours.title", text: "home.feature.yours.text" },
];

export function Home() {
  return (
    <div class="home-page">
      <header class="home-header">
        <Logo />
        <nav class="row" aria-label={t("home.nav")}>
          <Show
            when={me()}
            fallback={
              <>
                <A href="/login" class="button ghost">{t("home.login")}</A>
                <A href="/register" class="button primary">{t("home.register")}</A>
              </>
            }
          >
            <A href="/chat" class="button primary">{t("home.open")}</A>
          </Show>
        </nav>
      </header>
      <main class="home-main" id="main">
        <section class="home-hero">
          <h1>{t("home.title")}</h1>
          <p class="home-lead">{t("home.lead")}</p>
          <div class="row">
            <Show
              when={me()}
              fallback={
                <>
                  <A href="/register" class="button primary">{t("home.register")}</A>
                  <A href="/login" class="button">{t("home.login")}</A>
                </>
              }
            >
              <A href="/chat" class="button primary">{t("home.open")}</A>
              <A href="/dashboard" class="button">{t("nav.dashboard")}</A>
            </Show>
          </div>
        </section>
        <ul class="home-features">
          {FEATURES.map((feature) => (
            <li class="home-feature">
              <span class="home-feature-icon"><Icon name={feature.icon} /></span>
              <h2>{t(feature.title)}</h2>
              <p>{t(feature.text)}</p>
            </li>
          ))}
        </ul>
      </main>
      <footer class="home-footer">
        <LanguageSwitch />
      </footer>
    </div>
  );
}
