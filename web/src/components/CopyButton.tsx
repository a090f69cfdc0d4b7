import { createSignal, onMount } from "solid-js";
import { t } from "../i18n/index.ts";
import { copyText } from "../stores/clipboard.ts";
import { Icon } from "./Icon.tsx";

/**
 * Copies a value (an invite link, a one-time password) and says so. With `focus`, it takes the focus
 * when it appears: it replaces the button that made the value, whose focus would otherwise fall to
 * the page (a keyboard or screen-reader user would be back at the top).
 */
export function CopyButton(props: { value: string; label: string; focus?: boolean }) {
  const [copied, setCopied] = createSignal(false);
  let button!: HTMLButtonElement;
  onMount(() => {
    if (props.focus) button.focus();
  });
  return (
    <button
      ref={button}
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
