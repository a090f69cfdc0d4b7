import { t } from "../i18n/index.ts";

/** The VaultRoom mark (same drawing as the favicon) and name. */
export function Logo(props: { compact?: boolean }) {
  return (
    <span class="logo">
      <svg class="logo-mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" class="logo-bg" />
        <path d="M9 10h14a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-8l-5 4v-4H9a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2z" class="logo-fg" />
        <circle cx="16" cy="16" r="2.2" class="logo-bg" />
      </svg>
      {props.compact ? null : <span class="logo-name">{t("app.name")}</span>}
    </span>
  );
}
