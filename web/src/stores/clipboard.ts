// Copying to the clipboard, said in a toast either way (a browser may refuse: no permission, not a
// secure context). Every "Copy" of the app goes through here.
import { t } from "../i18n/index.ts";
import { showToast } from "./toast.ts";

/** Copies `text`, then shows `done` (or why it failed); true when it was copied. */
export async function copyText(text: string, done = t("copy.done")): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    showToast(done);
    return true;
  } catch {
    showToast(t("copy.failed"), "error");
    return false;
  }
}
