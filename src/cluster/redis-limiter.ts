// Rate limits shared by every node: token buckets kept in Redis, refilled and taken in one Lua
// script (atomic on the Redis server), so a user's budget is the same whichever node a request hits.
// While Redis is unreachable each node falls back to its own buckets (limits/shared-limiter.ts):
// the limits then hold per node instead of per cluster, which degrades fairness, never availability.
import type { BucketOptions, LimitResult } from "../limits/token-bucket.ts";
import { MemoryLimiter, type SharedLimiter } from "../limits/shared-limiter.ts";
import type { RedisLink } from "./redis-link.ts";

// KEYS[1] bucket key; ARGV: capacity, refill per second, cost, now (ms, the node's clock). A clock
// behind the one that last touched the bucket refills nothing (never negative), so nodes whose clocks
// differ by the usual NTP milliseconds share a bucket fairly.
// Returns { allowed (0/1), wait seconds, first refusal (0/1) }. State: tokens, updated at, refusing.
const TAKE = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 'u', 'r')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
local refusing = state[3] == '1'
local elapsed = math.max(0, now - updated) / 1000
tokens = math.min(capacity, tokens + elapsed * rate)
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
else
  wait = math.max(1, math.ceil((cost - tokens) / rate))
end
local first = 0
if wait > 0 and not refusing then first = 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(now), 'r', wait > 0 and '1' or '0')
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity / rate) * 1000) + 1000)
return { wait == 0 and 1 or 0, wait, first }
`;

// Called by its digest (EVALSHA): the script's 900 bytes are not sent, and hashed by Redis, on every
// post. Redis forgets scripts when it restarts (or on SCRIPT FLUSH); NOSCRIPT then sends it once more.
const TAKE_SHA = new Bun.CryptoHasher("sha1").update(TAKE).digest("hex");

export class RedisLimiter implements SharedLimiter {
  private readonly fallback = new MemoryLimiter();

  constructor(private readonly link: RedisLink) {}

  private async run(args: string[]): Promise<[number, number, number]> {
    try {
      return (await this.link.commands.send("EVALSHA", [TAKE_SHA, ...args])) as [number, number, number];
    } catch (error) {
      if (!String((error as Error)?.message).includes("NOSCRIPT")) throw error;
      return (await this.link.commands.send("EVAL", [TAKE, ...args])) as [number, number, number];
    }
  }

  async take(name: string, options: BucketOptions, key: string, cost = 1): Promise<LimitResult> {
    if (this.link.commands.connected) {
      try {
        const [allowed, wait, first] = await this.run([
          "1",
          this.link.name(`limit:${name}:${key}`),
          String(options.capacity),
          String(options.refillPerSecond),
          String(cost),
          String(Date.now()),
        ]);
        return { allowed: allowed === 1, retryAfterSeconds: wait, firstRefusal: first === 1 };
      } catch {
        // Redis went away mid-request: this node's own buckets answer instead.
      }
    }
    return this.fallback.take(name, options, key, cost);
  }
}
