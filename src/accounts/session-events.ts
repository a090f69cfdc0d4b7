// Ending a session must reach open WebSockets at once. The accounts code announces ended sessions
// here; the socket layer listens and closes the matching sockets.
export type SessionsEnded = { sessionIds: string[]; reason: string };

export class SessionEvents {
  private listeners = new Set<(event: SessionsEnded) => void>();

  onEnded(listener: (event: SessionsEnded) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ended(sessionIds: string[], reason: string): void {
    if (sessionIds.length === 0) return;
    for (const listener of this.listeners) listener({ sessionIds, reason });
  }
}
