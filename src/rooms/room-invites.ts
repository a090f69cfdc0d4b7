// "Invite someone who has no account yet" from a room's "Add people" (issue 19): an invite link that,
// once used to register, makes the new account a member of that room (their choice: they followed
// the link). Who may add people to the room may make one; on an invite-only server only an
// administrator may, since any invite link is a way onto the server; a closed server takes none.
import { appendAudit } from "../accounts/audit.ts";
import { invites } from "../accounts/invites.ts";
import { settings } from "../accounts/settings.ts";
import { users } from "../accounts/users.ts";
import type { Actor } from "../accounts/sessions.ts";
import type { CreatedInviteResponse } from "../accounts/types.ts";
import { command, type Store } from "../db/store.ts";
import { errors } from "../errors.ts";
import { chatErrors } from "./chat-errors.ts";
import { visible } from "./rooms.ts";

export const ROOM_INVITE_DEFAULT_HOURS = 72;

const createRoomInvite = command(
  "rooms.createInvite",
  async (tx, input: { actor: { userId: number; isAdmin: boolean; ip: string | null }; roomId: number; expiresInHours: number; maxUses: number }): Promise<CreatedInviteResponse> => {
    const { roomId } = input;
    const access = await visible(tx, input.actor, roomId);
    // Admin rights confirmed in the transaction that uses them (users.confirmed).
    const actor = await users.confirmed(tx, input.actor);
    if (access.kind === "dm") throw chatErrors.invalid("People join a direct conversation when it is opened with them, not by link.");
    if (access.kind === "private" && access.role !== "owner" && !actor.isAdmin) {
      throw chatErrors.notAllowed("Only the room's owner or an admin can invite to a private room.");
    }
    if (access.archivedAt !== null) throw chatErrors.roomArchived();
    const mode = await settings.registrationMode(tx);
    if (mode === "closed") throw errors.forbidden("registration_closed", "Registration is closed on this server: nobody new can join.");
    if (mode === "invite" && !actor.isAdmin) {
      throw errors.forbidden("admin_only", "On this server only an administrator can invite people who have no account yet.");
    }
    const { invite, token } = await invites.create(tx, actor.userId, { expiresInHours: input.expiresInHours, maxUses: input.maxUses, roomId });
    await appendAudit(tx, "invite_created", {
      actorId: actor.userId,
      target: invite.id,
      ip: actor.ip,
      detail: { expiresAt: invite.expiresAt, maxUses: invite.maxUses, roomId },
    });
    return { invite, token, link: `/register#invite=${token}` };
  },
);

export function createRoomInvites({ store }: { store: Store }) {
  return {
    create(actor: Actor, ip: string | null, roomId: number, options: { expiresInHours?: number; maxUses?: number }): Promise<CreatedInviteResponse> {
      return store.write(createRoomInvite, {
        actor: { userId: actor.userId, isAdmin: actor.isAdmin, ip },
        roomId,
        expiresInHours: options.expiresInHours ?? ROOM_INVITE_DEFAULT_HOURS,
        maxUses: options.maxUses ?? 1,
      });
    },
  };
}
