// Password hashing with Bun.password (argon2id, its defaults: m=64 MiB, t=2) on threads of lower
// CPU priority than the chat (hash-threads.ts), through a bounded queue so a login storm cannot
// exhaust memory or starve the server, shared fairly between client addresses (IPv6 per /64) so a
// flood from a few cannot lock everyone else out of logging in
// (limits/bounded-queue.ts). Unknown users are verified against a dummy hash so they take as long
// as a wrong password.
import { AppError } from "../errors.ts";
import { HashThreads } from "./hash-threads.ts";
import { BoundedQueue, QueueFullError } from "../limits/bounded-queue.ts";
import { ipKey } from "./auth-limits.ts";
import { normalizePassword } from "./password-rules.ts";

export interface PasswordHasherOptions {
  /** Hashes running at once (~64 MiB each). */
  concurrency?: number;
  /** Requests allowed to wait for a slot; past that the server answers 503. */
  maxWaiting?: number;
}

/** `ip` is the client address the work is done for (its share of the queue); the CLI passes none. */
export interface PasswordHasher {
  hash(password: string, ip?: string): Promise<string>;
  verify(password: string, hash: string, ip?: string): Promise<boolean>;
  /** Spends the same work as verify() for a user that does not exist; always false. */
  verifyDummy(password: string, ip?: string): Promise<false>;
  /** Hashes running and waiting now (metrics). */
  load(): { active: number; waiting: number };
}

export function serverBusy(): AppError {
  return new AppError(503, "server_busy", "The server is busy; try again in a moment.", { "retry-after": "2" });
}

export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const concurrency = options.concurrency ?? 2;
  const queue = new BoundedQueue(concurrency, options.maxWaiting ?? 32);
  const threads = new HashThreads(concurrency);
  let dummy: Promise<string> | null = null;

  const run = async <T>(task: () => Promise<T>, ip: string | undefined): Promise<T> => {
    try {
      return await queue.run(task, ip === undefined ? "" : ipKey(ip));
    } catch (error) {
      if (error instanceof QueueFullError) throw serverBusy();
      throw error;
    }
  };
  const hash = (password: string, ip?: string) => run(() => threads.hash(normalizePassword(password)), ip);
  const verify = (password: string, stored: string, ip?: string) =>
    run(async () => {
      try {
        return await threads.verify(normalizePassword(password), stored);
      } catch {
        // A damaged or empty hash (a scrubbed account) never matches.
        return false;
      }
    }, ip);

  return {
    hash,
    verify,
    load: () => queue.load,
    async verifyDummy(password, ip) {
      // Made once, with the same parameters as real hashes, so its verify costs the same.
      dummy ??= run(() => threads.hash(crypto.randomUUID()), ip);
      await verify(password, await dummy, ip);
      return false;
    },
  };
}
