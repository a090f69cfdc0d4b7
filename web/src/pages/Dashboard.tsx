import { Show } from "solid-js";
import { A, useSearchParams } from "@solidjs/router";
import { t } from "../i18n/index.ts";
import { me } from "../stores/session.ts";
import { Logo } from "../components/Logo.tsx";
import { Icon } from "../components/Icon.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { AccountPanel } from "../dashboard/AccountPanel.tsx";
import { ServerPanel } from "../dashboard/ServerPanel.tsx";

export function Dashboard() {
  const [params, setParams] = useSearchParams();
  const tab = () => (params.tab === "server" && me()?.isAdmin ? "server" : "account");
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
        <h1>{t("nav.dashboard")}</h1>
        <Show when={me()?.isAdmin}>
          <div class="tabs" role="tablist" aria-label={t("nav.dashboard")}>
            <button type="button" role="tab" id="tab-account" aria-controls="panel" aria-selected={tab() === "account"} class="tab" onClick={() => setParams({ tab: undefined })}>
              {t("dashboard.myAccount")}
            </button>
            <button type="button" role="tab" id="tab-server" aria-controls="panel" aria-selected={tab() === "server"} class="tab" onClick={() => setParams({ tab: "server" })}>
              {t("dashboard.server")}
            </button>
          </div>
        </Show>
        <div id="panel" role={me()?.isAdmin ? "tabpanel" : undefined} aria-labelledby={me()?.isAdmin ? `tab-${tab()}` : undefined}>
          <Show when={tab() === "server"} fallback={<AccountPanel />}>
            <ServerPanel />
          </Show>
        </div>
      </main>
      <Toasts />
    </div>
  );
}
