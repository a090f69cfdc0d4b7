// Invitations from strangers arrive as requests the invitee accepts (issue 21 §4). Tests that set up
// rooms and DMs between fresh accounts accept them as the person would, by clicking Accept.
import type { TestApp } from "./app.ts";

/** `user` accepts the invitation to `roomId`, if one waits (none when they already knew the inviter). */
export async function acceptIfAsked(test: TestApp, user: { cookie: string }, roomId: number): Promise<void> {
  const res = await test.request(`/api/requests/${roomId}/accept`, { method: "POST", cookie: user.cookie });
  if (res.status !== 200 && res.status !== 404) throw new Error(`accepting ${roomId}: ${res.status} ${await res.text()}`);
}
