import { avatarColour } from "../chat/avatar-colour.ts";
import { displayNameOf, type Named } from "../chat/names.ts";

/** Initials on a colour derived from the user id: the same person always gets the same colour. */
export function Avatar(props: { user: Named & { id: number }; small?: boolean }) {
  const initials = () => {
    const name = displayNameOf(props.user).trim();
    const parts = name.split(/[\s._-]+/u).filter(Boolean);
    const letters = parts.length > 1 ? [...parts[0]!][0]! + [...parts[1]!][0]! : [...name].slice(0, 2).join("");
    // A 24 px square reads one letter cleanly; two crowd its edges and the presence dot.
    return (props.small ? [...letters][0] : letters) || "?";
  };
  // Set through the CSSOM (style.setProperty), which the CSP's style-src 'self' allows.
  return (
    <span
      class={`avatar${props.small ? " small" : ""}`}
      style={{ "background-color": avatarColour(props.user.id, props.user.deleted) }}
      data-user-id={props.user.id}
      aria-hidden="true"
    >
      {initials()}
    </span>
  );
}
