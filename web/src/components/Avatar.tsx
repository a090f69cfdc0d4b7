import { avatarColour } from "../chat/avatar-colour.ts";
import type { Named } from "../chat/names.ts";
import { initialsOf } from "../chat/initials.ts";

/** Initials on a colour derived from the user id: the same person always gets the same colour. */
export function Avatar(props: { user: Named & { id: number }; small?: boolean }) {
  // Set through the CSSOM (style.setProperty), which the CSP's style-src 'self' allows.
  return (
    <span
      class={`avatar${props.small ? " small" : ""}`}
      style={{ "background-color": avatarColour(props.user.id, props.user.deleted) }}
      data-user-id={props.user.id}
      aria-hidden="true"
    >
      {initialsOf(props.user)}
    </span>
  );
}
