// A person in a table cell: the display name, with a muted @username only where it adds something.
import { Show } from "solid-js";
import { displayNameOf, hasOwnDisplayName, type Named } from "../chat/names.ts";

export function PersonName(props: { user: Named }) {
  return (
    <>
      <span class="user-cell-name">{displayNameOf(props.user)}</span>
      <Show when={hasOwnDisplayName(props.user)}>
        <span class="muted small-text"> @{props.user.username}</span>
      </Show>
    </>
  );
}
