import { Show } from "solid-js";
import type { PasskeyBlocker } from "../api/passkeys.ts";
import { t } from "../i18n/index.ts";

/** Why passkeys are not offered here (bare address, untrusted certificate, another name, browser). */
export function PasskeyNote(props: { blocker: PasskeyBlocker | null }) {
  return (
    <Show when={props.blocker}>
      {(blocker) => <p class="hint passkey-note">{t(`passkeys.unavailable.${blocker()}`)}</p>}
    </Show>
  );
}
