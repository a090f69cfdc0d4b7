// A SharedLimiter that counts its refusals by bucket family (login.ip, userMessages, cost…): a
// closed set of names chosen in code, never the key (a user or an address).
import type { SharedLimiter } from "../limits/shared-limiter.ts";
import type { Metrics } from "./metrics.ts";

export function countingLimiter(inner: SharedLimiter, metrics: Metrics): SharedLimiter {
  return {
    async take(name, options, key, cost) {
      const result = await inner.take(name, options, key, cost);
      if (!result.allowed) metrics.refusals.inc({ bucket: name });
      return result;
    },
  };
}
