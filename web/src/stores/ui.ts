// Which dialog is open and whether the sidebar drawer is shown (phone-sized screens).
import { createSignal } from "solid-js";

export type DialogName = "browse" | "newRoom" | "newDm" | "switcher" | "members" | "invite" | "editRoom" | "notify" | "mentions";

const [dialog, setDialog] = createSignal<DialogName | null>(null);
const [drawerOpen, setDrawerOpen] = createSignal(false);

export { dialog, drawerOpen, setDrawerOpen };

export function openDialog(name: DialogName): void {
  setDrawerOpen(false);
  setDialog(name);
}

export function closeDialog(): void {
  setDialog(null);
}
