// Everything of the chat, mounted by createApp in one line: rooms, messages, DMs, the user
// directory and presence over HTTP, and the socket at /ws.
import { Elysia } from "elysia";
import type { Services } from "../services.ts";
import { socketRoutes } from "../ws/socket.ts";
import { dmRoutes } from "./dm-routes.ts";
import { consentRoutes } from "./consent-routes.ts";
import { adminRoomRoutes } from "./admin-room-routes.ts";
import { roomInviteRoutes } from "./room-invite-routes.ts";
import { messageRoutes } from "./message-routes.ts";
import { roomRoutes } from "./room-routes.ts";
import { searchRoutes } from "./search-routes.ts";
import { userDirectoryRoutes } from "./user-directory-routes.ts";
import { notificationRoutes } from "./notification-routes.ts";

export function chatApi(services: Services) {
  // `chat` is also exposed on the app (app.decorator.chat) so tests can reach the very chat they drive.
  return new Elysia()
    .decorate("chat", services.chat)
    .use(roomRoutes(services))
    .use(messageRoutes(services))
    .use(dmRoutes(services))
    .use(userDirectoryRoutes(services))
    .use(searchRoutes(services))
    .use(notificationRoutes(services))
    .use(consentRoutes(services))
    .use(adminRoomRoutes(services))
    .use(roomInviteRoutes(services))
    .use(socketRoutes(services));
}
