// The user directory (for starting DMs and inviting), names by id (for people seen online), and the
// server-wide online list (sidebar).
import { Elysia, t } from "elysia";
import type { DirectoryUser, UserRef } from "../protocol.ts";
import { MAX_DIRECTORY_IDS, MAX_DIRECTORY_RESULTS } from "../rooms/user-directory.ts";
import type { Services } from "../services.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { errors } from "../errors.ts";

/** 1 to MAX_DIRECTORY_IDS positive ids, comma-separated; 15 digits keeps each a safe integer. */
const ID_LIST = `^[1-9][0-9]{0,14}(,[1-9][0-9]{0,14}){0,${MAX_DIRECTORY_IDS - 1}}$`;

export function userDirectoryRoutes(services: Services) {
  const { directory, presence } = services.chat;
  const withPresence = (users: UserRef[]): DirectoryUser[] => users.map((user) => ({ ...user, online: presence.isOnline(user.id) }));
  return new Elysia()
    .use(authContext(services))
    .get(
      "/api/users",
      async ({ actor, query }): Promise<{ users: DirectoryUser[] }> => {
        requireActor(actor);
        if (query.ids !== undefined) {
          if (query.query !== undefined || query.limit !== undefined) {
            throw errors.badRequest("invalid_request", "Ask for users either by ids or by query, not both.");
          }
          // The same public fields as the directory, for the same people: anyone logged in may look
          // up any active user's name (the online list shows ids server-wide).
          return { users: withPresence(await directory.byIds(query.ids.split(",").map(Number))) };
        }
        return { users: withPresence(await directory.search(query.query ?? "", query.limit ?? 20)) };
      },
      {
        query: t.Object({
          query: t.Optional(t.String({ maxLength: 100 })),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_DIRECTORY_RESULTS })),
          ids: t.Optional(t.String({ pattern: ID_LIST, maxLength: MAX_DIRECTORY_IDS * 16 })),
        }),
      },
    )
    .get("/api/presence", ({ actor }): { online: number[] } => {
      requireActor(actor);
      return { online: presence.onlineUserIds() };
    });
}
