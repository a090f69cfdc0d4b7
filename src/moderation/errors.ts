// Moderation's refusals, with the same code and words over HTTP and the socket.
import { AppError } from "../errors.ts";

export const moderationErrors = {
  reportNotFound: () => new AppError(404, "report_not_found", "This report does not exist."),
  banned: () => new AppError(403, "banned_from_room", "You were banned from this room by its owner or an admin."),
  userBanned: () => new AppError(409, "user_banned", "That person is banned from this room; lift the ban first."),
};
