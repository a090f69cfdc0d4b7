// The user directory (for starting DMs and inviting) and the server-wide online list (sidebar).
import { Elysia, t } from "elysia";
import type { DirectoryUser } from "../protocol.ts";
import { MAX_DIRECTORY_RESULTS } from "../rooms/user-directory.ts";
import type { Services } from "../services.ts";
import { authContext, requireActor } from "./auth-context.ts";

export function userDirectoryRoutes(services: Services) {
  const { directory, presence } = services.chat;
  return new Elysia()
    .use(authContext(services))
    .get(
      "/api/users",
      ({ actor, query }): { users: DirectoryUser[] } => {
        requireActor(actor);
        const users = directory.search(query.query ?? "", query.limit ?? 20);
        return { users: users.map((user) => ({ ...user, online: presence.isOnline(user.id) })) };
      },
      {
        query: t.Object({
          query: t.Optional(t.String({ maxLength: 100 })),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_DIRECTORY_RESULTS })),
        }),
      },
    )
    .get("/api/presence", ({ actor }): { online: number[] } => {
      requireActor(actor);
      return { online: presence.onlineUserIds() };
    });
}
