import { onMount, Show } from "solid-js";
import { A, useSearchParams } from "@solidjs/router";
import { t } from "../i18n/index.ts";
import { me } from "../stores/session.ts";
import { Logo } from "../components/Logo.tsx";
import { Icon } from "../components/Icon.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { usePageTitle } from "../components/page-title.ts";
import { AccountPanel } from "../dashboard/AccountPanel.tsx";
import { ServerPanel } from "../dashboard/ServerPanel.tsx";

export function Dashboard() {
  const [params] = useSearchParams();
  usePageTitle(() => t("nav.dashboard"));
  const tab = () => (params.tab === "server" && me()?.isAdmin ? "server" : "account");
  let heading!: HTMLHeadingElement;
  // The link that brought us here is gone with the chat: focus would fall to <body>, and a screen
  // reader would hear nothing of the new page. It starts at the page's heading instead.
  onMount(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.focus();
  });
  return (
    <div class="dashboard">
      <header class="dashboard-header">
        <A href="/chat" class="button ghost">
          <Icon name="message" />
          {t("dashboard.backToChat")}
        </A>
        <Logo />
      </header>
      <main class="dashboard-main" id="main">
        <h1 ref={heading} tabIndex={-1}>{t("nav.dashboard")}</h1>
        <Show when={me()?.isAdmin}>
          <nav class="tabs" aria-label={t("nav.dashboard")}>
            {/* Plain links (the router still handles them): <A> would mark both as current. */}
            <a href="/dashboard" class="tab" aria-current={tab() === "account" ? "page" : undefined}>
              {t("dashboard.myAccount")}
            </a>
            <a href="/dashboard?tab=server" class="tab" aria-current={tab() === "server" ? "page" : undefined}>
              {t("dashboard.server")}
            </a>
          </nav>
        </Show>
        <Show when={tab() === "server"} fallback={<AccountPanel />}>
          <ServerPanel />
        </Show>
      </main>
      <Toasts />
    </div>
  );
}
