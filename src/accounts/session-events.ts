// Ending a session must reach open WebSockets at once. The accounts code announces ended sessions
// here; the socket layer listens and closes the matching sockets. It also announces changes to an
// account that open sockets act on (admin rights, display name), so a socket never keeps acting with
// the account as it was when it opened: a demoted admin's open tabs lose admin powers at once.
export type SessionsEnded = { sessionIds: string[]; reason: string };

export class SessionEvents {
  private listeners = new Set<(event: SessionsEnded) => void>();
  private userListeners = new Set<(userId: number) => void>();
  private leftListeners = new Set<(userId: number, roomIds: number[]) => void>();

  onEnded(listener: (event: SessionsEnded) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ended(sessionIds: string[], reason: string): void {
    if (sessionIds.length === 0) return;
    for (const listener of this.listeners) listener({ sessionIds, reason });
  }

  onUserChanged(listener: (userId: number) => void): () => void {
    this.userListeners.add(listener);
    return () => this.userListeners.delete(listener);
  }

  /** After a commit that changed what a user may do or how they appear (admin flag, display name). */
  userChanged(userId: number): void {
    for (const listener of this.userListeners) listener(userId);
  }

  onLeftRooms(listener: (userId: number, roomIds: number[]) => void): () => void {
    this.leftListeners.add(listener);
    return () => this.leftListeners.delete(listener);
  }

  /** After a deleted account's memberships were removed: the rooms' members must hear it left. */
  leftRooms(userId: number, roomIds: number[]): void {
    if (roomIds.length === 0) return;
    for (const listener of this.leftListeners) listener(userId, roomIds);
  }
}
