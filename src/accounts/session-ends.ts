// Ending sessions by the people who own them: logging out, ending one of my devices, ending all but
// this one. Each is one command that ends the sessions (their sockets close on every node once it
// commits) and audits it.
import { command } from "../db/store.ts";
import { errors } from "../errors.ts";
import { appendAudit } from "./audit.ts";
import { sessions } from "./sessions.ts";

export const logout = command("sessions.logout", async (tx, input: { sessionId: string; userId: number; username: string; ip: string }) => {
  if (await sessions.end(tx, input.sessionId, "logout")) {
    await appendAudit(tx, "logout", { actorId: input.userId, target: input.username, ip: input.ip });
  }
});

export const revokeOwnSession = command("sessions.revoke", async (tx, input: { userId: number; sessionId: string; ip: string }) => {
  // Another user's session id gets the same answer as one that does not exist.
  if (!(await sessions.endOwn(tx, input.userId, input.sessionId))) throw errors.notFound("session_not_found", "There is no such session.");
  await appendAudit(tx, "session_revoked", { actorId: input.userId, target: input.sessionId, ip: input.ip });
});

export const revokeOtherSessions = command("sessions.revokeOthers", async (tx, input: { userId: number; keep: string; ip: string }) => {
  const ended = await sessions.endAllForUser(tx, input.userId, "revoked", input.keep);
  if (ended.length) await appendAudit(tx, "session_revoked", { actorId: input.userId, target: "others", ip: input.ip, detail: { count: ended.length } });
  return ended.length;
});
