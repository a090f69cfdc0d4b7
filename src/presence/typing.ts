// Typing indicators: ephemeral, never stored. A start is announced once and renewed silently; the
// indicator ends TYPING_TTL_MS after the last renewal, when the person posts, or when asked.
import type { UserRef } from "../protocol.ts";

type Announce = (roomId: number, user: UserRef, typing: boolean) => void;

export class Typing {
  private readonly active = new Map<string, { timer: ReturnType<typeof setTimeout>; roomId: number; user: UserRef }>();
  private closed = false;

  constructor(
    private readonly ttlMs: number,
    private readonly announce: Announce,
  ) {}

  start(roomId: number, user: UserRef): void {
    if (this.closed) return;
    const key = `${roomId}:${user.id}`;
    const existing = this.active.get(key);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => this.stop(roomId, user), this.ttlMs);
    timer.unref?.();
    this.active.set(key, { timer, roomId, user });
    if (!existing) this.announce(roomId, user, true);
  }

  stop(roomId: number, user: UserRef): void {
    if (this.active.size === 0) return;
    const key = `${roomId}:${user.id}`;
    const existing = this.active.get(key);
    if (!existing) return;
    clearTimeout(existing.timer);
    this.active.delete(key);
    if (!this.closed) this.announce(roomId, user, false);
  }

  isTyping(roomId: number, userId: number): boolean {
    return this.active.has(`${roomId}:${userId}`);
  }

  close(): void {
    this.closed = true;
    for (const { timer } of this.active.values()) clearTimeout(timer);
    this.active.clear();
  }
}
