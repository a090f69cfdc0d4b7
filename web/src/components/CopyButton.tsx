import { createSignal } from "solid-js";
import { t } from "../i18n/index.ts";
import { showToast } from "../stores/toast.ts";
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
        try {
          await navigator.clipboard.writeText(props.value);
          setCopied(true);
          showToast(t("copy.done"));
          setTimeout(() => setCopied(false), 2000);
        } catch {
          showToast(t("copy.failed"), "error");
        }
      }}
    >
      <Icon name={copied() ? "check" : "copy"} />
      {copied() ? t("copy.copied") : t("copy.copy")}
    </button>
  );
}
