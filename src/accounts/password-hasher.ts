// Password hashing with Bun.password (argon2id, its defaults: m=64 MiB, t=2), through a bounded
// queue so a login storm cannot exhaust memory or starve the server. Unknown users are verified
// against a dummy hash so they take as long as a wrong password.
import { AppError } from "../errors.ts";
import { BoundedQueue, QueueFullError } from "../limits/bounded-queue.ts";
import { normalizePassword } from "./password-rules.ts";

export interface PasswordHasherOptions {
  /** Hashes running at once (~64 MiB each). */
  concurrency?: number;
  /** Requests allowed to wait for a slot; past that the server answers 503. */
  maxWaiting?: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Spends the same work as verify() for a user that does not exist; always false. */
  verifyDummy(password: string): Promise<false>;
}

export function serverBusy(): AppError {
  return new AppError(503, "server_busy", "The server is busy; try again in a moment.", { "retry-after": "2" });
}

export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const queue = new BoundedQueue(options.concurrency ?? 2, options.maxWaiting ?? 32);
  let dummy: Promise<string> | null = null;

  const run = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await queue.run(task);
    } catch (error) {
      if (error instanceof QueueFullError) throw serverBusy();
      throw error;
    }
  };
  const hash = (password: string) => run(() => Bun.password.hash(normalizePassword(password), { algorithm: "argon2id" }));
  const verify = (password: string, stored: string) =>
    run(async () => {
      try {
        return await Bun.password.verify(normalizePassword(password), stored);
      } catch {
        // A damaged or empty hash (a scrubbed account) never matches.
        return false;
      }
    });

  return {
    hash,
    verify,
    async verifyDummy(password) {
      // Made once, with the same parameters as real hashes, so its verify costs the same.
      dummy ??= Bun.password.hash(crypto.randomUUID(), { algorithm: "argon2id" });
      await verify(password, await dummy);
      return false;
    },
  };
}
