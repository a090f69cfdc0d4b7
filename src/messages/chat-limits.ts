// The chat's rate and size limits in one place. Defaults suit people typing; a benchmark or a bot
// gateway may pass higher message rates to createChat().
import { TokenBucket } from "../limits/token-bucket.ts";

export interface ChatLimits {
  /** Per connection: messages posted, edited or deleted. */
  connectionMessages: { capacity: number; refillPerSecond: number };
  /** Per user across all their connections and HTTP. */
  userMessages: { capacity: number; refillPerSecond: number };
  /** Per connection: every request frame (history, sync, typing, read marks...). */
  connectionFrames: { capacity: number; refillPerSecond: number };
  /** Per user: creating rooms, opening DMs, inviting (things that touch other people's lists). */
  userRoomChanges: { capacity: number; refillPerSecond: number };
  /**
   * Per user: every other state-changing chat request (join, leave, rename, topic, archive, remove a
   * member, a read mark over HTTP, a display-name change). Each costs a durable commit, so one account
   * must not be able to keep the disk busy; generous enough that a person never meets it.
   */
  userActions: { capacity: number; refillPerSecond: number };
  maxSocketsPerUser: number;
}

/**
 * Per user, across all sockets and nodes: units of read work, about one indexed row each (a sync
 * costs its rooms plus the rows it may return, a history page its rows). A person reconnecting with
 * 50 rooms spends ~2,000 at once and has room for three; a script flooding syncs over 500 rooms
 * gets about one every two seconds, whatever it does with its 20 sockets.
 */
export const COST_BUDGET = { capacity: 8000, refillPerSecond: 1500 };

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  connectionMessages: { capacity: 20, refillPerSecond: 5 },
  // A little more than one connection's share, so several tabs cannot multiply the rate.
  userMessages: { capacity: 30, refillPerSecond: 8 },
  connectionFrames: { capacity: 120, refillPerSecond: 40 },
  userRoomChanges: { capacity: 30, refillPerSecond: 0.5 },
  userActions: { capacity: 60, refillPerSecond: 2 },
  maxSocketsPerUser: 20,
};

/**
 * The limits for an operator's --message-rate (messages per second per user): the defaults scaled
 * by rate / default rate, bursts and per-connection buckets included; never below the defaults.
 */
export function limitsForMessageRate(rate: number | null): Partial<ChatLimits> {
  if (rate === null) return {};
  const factor = Math.max(1, rate / DEFAULT_CHAT_LIMITS.userMessages.refillPerSecond);
  const scale = (b: { capacity: number; refillPerSecond: number }) => ({ capacity: Math.ceil(b.capacity * factor), refillPerSecond: b.refillPerSecond * factor });
  return {
    userMessages: scale(DEFAULT_CHAT_LIMITS.userMessages),
    connectionMessages: scale(DEFAULT_CHAT_LIMITS.connectionMessages),
    connectionFrames: scale(DEFAULT_CHAT_LIMITS.connectionFrames),
    // A bot gateway that posts at this rate also renames, joins and marks read at a matching pace.
    userActions: scale(DEFAULT_CHAT_LIMITS.userActions),
  };
}

/** The two buckets every connection carries. */
export class ConnectionBuckets {
  readonly messages: TokenBucket;
  readonly frames: TokenBucket;

  constructor(limits: ChatLimits) {
    this.messages = new TokenBucket(limits.connectionMessages);
    this.frames = new TokenBucket(limits.connectionFrames);
  }
}
