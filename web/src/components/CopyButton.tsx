import { createSignal } from "solid-js";
import { t } from "../i18n/index.ts";
import { copyText } from "../stores/clipboard.ts";
import { Icon } from "./Icon.tsx";

/** Copies a value (an invite link, a one-time password) and says so. */
export function CopyButton(props: { value: string; label: string }) {
  const [copied, setCopied] = createSignal(false);
  return (
    <button
      type="button"
      class="button small"
      aria-label={props.label}
      onClick={async () => {
        if (!(await copyText(props.value))) return;
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      <Icon name={copied() ? "check" : "copy"} />
      {copied() ? t("copy.copied") : t("copy.copy")}
    </button>
  );
}
