import { Show } from "solid-js";
import { A } from "@solidjs/router";
import { t } from "../i18n/index.ts";
import { me } from "../stores/session.ts";
import { displayNameOf } from "../chat/names.ts";
import { Avatar } from "./Avatar.tsx";
import { Icon } from "./Icon.tsx";
import { DndStatus } from "./DndStatus.tsx";
import { useLogout } from "./use-logout.ts";

/** Me, at the foot of the sidebar: who I am, do not disturb while it is on, my dashboard and log out. */
export function UserMenu() {
  const logout = useLogout();
  return (
    <Show when={me()}>
      {(user) => (
        <div class="user-menu">
          <Avatar user={user()} />
          <div class="user-menu-names">
            <span class="user-menu-name">{displayNameOf(user())}</span>
            <span class="user-menu-username">@{user().username}</span>
          </div>
          <DndStatus />
          <A href="/dashboard" class="icon-button" aria-label={t("nav.dashboard")} title={t("nav.dashboard")}>
            <Icon name="settings" />
          </A>
          <button type="button" class="icon-button" aria-label={t("nav.logout")} title={t("nav.logout")} onClick={logout}>
            <Icon name="logout" />
          </button>
        </div>
      )}
    </Show>
  );
}
