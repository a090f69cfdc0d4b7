// When to talk to the ACME server: renew at two thirds of a certificate's lifetime (Let's Encrypt's own
// advice; acme-client does not support ACME Renewal Information), and after a failure wait
// --acme-retry seconds, doubling per further failure up to an hour, so a broken setup costs a CA at most
// a few attempts an hour (Let's Encrypt allows 5 failed validations per name per hour).

export const MAX_RETRY_MS = 3600_000;
/** setTimeout overflows past 2^31-1 ms (~24.8 days) and fires at once: long waits are taken in steps. */
const MAX_TIMER_MS = 24 * 3600_000;

export function renewalTime(notBefore: Date, notAfter: Date): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + Math.floor((lifetime * 2) / 3));
}

/** Milliseconds to wait after the `failures`-th failure in a row (1 = the first). */
export function retryDelay(failures: number, retrySeconds: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 20);
  return Math.min(retrySeconds * 1000 * 2 ** exponent, MAX_RETRY_MS);
}

export interface Timer {
  cancel(): void;
}

/** Calls `run` at `at` (on the next turn if that has passed), however far away it is. */
export function runAt(at: Date, run: () => void): Timer {
  let handle: ReturnType<typeof setTimeout> | null = null;
  const wait = () => Math.max(0, Math.min(at.getTime() - Date.now(), MAX_TIMER_MS));
  const step = () => {
    if (at.getTime() - Date.now() <= 0) {
      handle = null;
      run();
    } else handle = setTimeout(step, wait());
  };
  handle = setTimeout(step, wait());
  return {
    cancel() {
      if (handle) clearTimeout(handle);
      handle = null;
    },
  };
}
