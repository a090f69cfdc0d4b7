// The picker and its data are a chunk of their own, fetched the first time it opens: the first page
// load does not carry them.
import { lazy, Suspense } from "solid-js";
import { t } from "../i18n/index.ts";

const Picker = lazy(() => import("./EmojiPicker.tsx"));

export function EmojiPicker(props: { onPick: (emoji: string) => void; onClose: () => void; label?: string }) {
  return (
    <Suspense fallback={<div class="emoji-picker" role="status">{t("emoji.loading")}</div>}>
      <Picker onPick={props.onPick} onClose={props.onClose} label={props.label} />
    </Suspense>
  );
}
