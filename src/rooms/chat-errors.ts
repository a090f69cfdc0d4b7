// The refusals of rooms, DMs and messages, with the same code and words over HTTP and the socket.
// A room or message the actor may not see is refused exactly like one that does not exist.
import { AppError } from "../errors.ts";

export const chatErrors = {
  roomNotFound: () => new AppError(404, "room_not_found", "This room does not exist, or you are not a member of it."),
  messageNotFound: () => new AppError(404, "message_not_found", "This message does not exist, or you cannot see it."),
  userNotFound: () => new AppError(404, "user_not_found", "No active user has that id."),
  notMember: () => new AppError(404, "user_not_found", "That user is not a member of this room."),
  roomArchived: () => new AppError(409, "room_archived", "This room is archived: it can be read but not changed."),
  notAllowed: (message: string) => new AppError(403, "not_allowed", message),
  cannotLeaveDm: () => new AppError(400, "cannot_leave_dm", "A direct conversation cannot be left or changed."),
  cannotLeaveOneToOne: () =>
    new AppError(400, "cannot_leave_dm", "A conversation between two people cannot be left: hide it instead, and block the person if you wish."),
  tooManyParticipants: (max: number) =>
    new AppError(400, "too_many_participants", `A direct conversation can have at most ${max} people.`),
  tooManyRooms: (self: boolean, max: number) =>
    new AppError(
      409,
      "too_many_rooms",
      self
        ? `You are in ${max} rooms and conversations, the most one person can be in. Leave some first.`
        : `That person is in ${max} rooms and conversations, the most one person can be in.`,
    ),
  // The same words whatever the reason (a block): the refused person learns only that they were refused.
  notAccepting: () => new AppError(403, "not_accepting", "This person is not accepting invitations or messages from you."),
  tooManyInvitations: () =>
    new AppError(409, "too_many_invitations", "This person already has too many invitations waiting for an answer. Try again later."),
  requestNotFound: () => new AppError(404, "request_not_found", "There is no such invitation waiting for you."),
  cannotBlockSelf: () => new AppError(400, "cannot_block_self", "You cannot block yourself."),
  clientIdReused: () =>
    new AppError(409, "client_id_reused", "This clientId was already used for a message in another room."),
  invalid: (message: string) => new AppError(400, "invalid_request", message),
  invalidEmoji: () => new AppError(400, "invalid_emoji", "A reaction is one emoji."),
  tooManyReactions: (max: number) => new AppError(409, "too_many_reactions", `A message can have at most ${max} different reactions.`),
  tooManyPins: (max: number) => new AppError(409, "too_many_pins", `A room can have at most ${max} pinned messages. Unpin one first.`),
};
