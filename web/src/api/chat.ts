// The chat HTTP API (docs/API-chat.md): creating rooms and DMs, the room directory, members and
// the people directory. Messages travel over the socket.
import { http } from "./http.ts";
import type { DirectoryUser, Member, PublicRoomPage, Room, RoomInfo } from "../chat/protocol.ts";

export const chatApi = {
  createRoom: (body: { name: string; topic?: string; kind: "public" | "private"; members?: number[] }) =>
    http.post<{ room: Room }>("/api/rooms", body),
  /** A page of the public room directory by name: pass the last page's `nextAfter` for the next. */
  publicRooms: (page: { query?: string; after?: number; limit?: number } = {}) => {
    const params = new URLSearchParams();
    if (page.query) params.set("query", page.query);
    if (page.after !== undefined) params.set("after", String(page.after));
    if (page.limit !== undefined) params.set("limit", String(page.limit));
    const search = params.toString();
    return http.get<PublicRoomPage>(`/api/rooms/public${search ? `?${search}` : ""}`);
  },
  joinRoom: (roomId: number) => http.post<{ room: Room }>(`/api/rooms/${roomId}/join`, {}),
  leaveRoom: (roomId: number) => http.post<{ roomId: number }>(`/api/rooms/${roomId}/leave`, {}),
  updateRoom: (roomId: number, body: { name?: string; topic?: string; archived?: boolean }) =>
    http.patch<{ room: RoomInfo }>(`/api/rooms/${roomId}`, body),
  members: (roomId: number) => http.get<{ members: Member[] }>(`/api/rooms/${roomId}/members`),
  invite: (roomId: number, userId: number) => http.post<{ member: Member }>(`/api/rooms/${roomId}/members`, { userId }),
  removeMember: (roomId: number, userId: number) => http.delete<{ roomId: number; userId: number }>(`/api/rooms/${roomId}/members/${userId}`),
  openDm: (userIds: number[]) => http.post<{ room: Room; created: boolean }>("/api/dms", { userIds }),
  searchUsers: (query: string, limit = 20) =>
    http.get<{ users: DirectoryUser[] }>(`/api/users?query=${encodeURIComponent(query)}&limit=${limit}`),
  /** Names of up to 100 active users by id (people seen online whom this tab cannot name yet). */
  usersByIds: (ids: number[]) => http.get<{ users: DirectoryUser[] }>(`/api/users?ids=${ids.join(",")}`),
  /** Ids of everyone online now, server-wide, for the sidebar. */
  presence: () => http.get<{ online: number[] }>("/api/presence"),
};
