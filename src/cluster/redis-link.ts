// The node's link to Redis: one client for commands and publishes, one for subscriptions. Redis is
// used for hints and ephemeral state only (the truth is in Postgres), so this link must notice when
// it has stopped hearing anything — Bun's RedisClient reconnects after a Redis restart but its
// subscriptions stay silent (verified on Bun 1.4.4 with Redis 7.0) — and say so, so that callers
// fall back to polling Postgres and catch up once it hears again.
//
// Deafness is detected end to end: every second the node publishes a heartbeat on its own channel
// and expects to receive it on its subscriber; three seconds without it (or any reconnect of the
// subscriber) and the subscriber is thrown away and a fresh one subscribes again.
import { RedisClient } from "bun";
import { timingSafeEqual } from "node:crypto";
import type { Logger } from "../log.ts";
import { describeError } from "../errors.ts";

export type LinkState = "up" | "down";

export const HEARTBEAT_MS = 1000;
export const DEAF_AFTER_MS = 3000;

export interface RedisLinkOptions {
  url: string;
  nodeId: string;
  /**
   * A secret every node shares (derived from the cluster's session key): every message carries its
   * HMAC, and a message without a valid one is dropped. Redis then cannot be used to inject events —
   * a forged "joined" would subscribe a socket to a room it may not read — by anyone who can reach it
   * but not the database.
   */
  secret: string;
  /** The cluster's id (secrets.ts): prefixes every channel and key, so clusters sharing a Redis stay apart. */
  namespace: string;
  logger: Logger;
  /** Told when the link stops hearing (down) and when it hears again (up: catch up now). */
  onState?: (state: LinkState) => void;
}

export class RedisLink {
  readonly commands: RedisClient;
  private subscriber: RedisClient | null = null;
  private readonly handlers = new Map<string, (message: string) => void>();
  private readonly heartbeatChannel: string;
  private heardAt = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private resubscribing = false;
  private closed = false;
  state: LinkState = "down";

  private readonly key: string;
  private forgedAt = 0;

  constructor(private readonly options: RedisLinkOptions) {
    this.key = `vaultroom cluster bus\0${options.secret}`;
    // Commands fail at once while Redis is down: nothing may wait on a hint.
    this.commands = new RedisClient(options.url, { enableOfflineQueue: false, connectionTimeout: 2000, autoReconnect: true });
    this.heartbeatChannel = this.name(`heartbeat:${options.nodeId}`);
    this.handlers.set(this.heartbeatChannel, () => {
      this.heardAt = Date.now();
      if (this.state === "down" && !this.resubscribing) this.setState("up");
    });
  }

  /** Connects and subscribes; resolves even when Redis is down (the link keeps trying). */
  async start(): Promise<void> {
    try {
      await this.commands.connect();
    } catch (error) {
      this.options.logger.warn("redis_unreachable", { error: describeError(error) });
    }
    await this.resubscribe();
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.timer.unref?.();
    // Up once our own heartbeat has come back (a moment), so a node does not start out "degraded";
    // with Redis down it starts anyway and says so.
    const until = Date.now() + 2000;
    while (this.state === "down" && Date.now() < until && this.subscriber) await Bun.sleep(10);
  }

  /** A channel or key name in this cluster's namespace. */
  name(suffix: string): string {
    return `vaultroom:${this.options.namespace}:${suffix}`;
  }

  /** Registers a channel's handler (before start(), or followed by a resubscription). */
  on(channel: string, handler: (message: string) => void): void {
    this.handlers.set(channel, handler);
  }

  /** Publishes a hint; false when Redis cannot take it now (the caller's fallback covers it). */
  async publish(channel: string, message: string): Promise<boolean> {
    if (!this.commands.connected) return false;
    try {
      await this.commands.publish(channel, await this.sign(channel, message));
      return true;
    } catch {
      return false;
    }
  }

  /** HMAC-SHA-256 of the channel and the message, synchronous (no reordering of deliveries). */
  private mac(channel: string, message: string): Buffer {
    return new Bun.CryptoHasher("sha256", this.key).update(channel).update("\n").update(message).digest();
  }

  /** "<base64url HMAC of channel and message>.<message>" */
  private async sign(channel: string, message: string): Promise<string> {
    return `${this.mac(channel, message).toString("base64url")}.${message}`;
  }

  /** The message, or null when its HMAC is missing or wrong. */
  private verified(channel: string, signed: string): string | null {
    const dot = signed.indexOf(".");
    if (dot <= 0) return null;
    const message = signed.slice(dot + 1);
    const given = Buffer.from(signed.slice(0, dot), "base64url");
    const expected = this.mac(channel, message);
    return given.length === expected.length && timingSafeEqual(given, expected) ? message : null;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.subscriber?.close();
    this.commands.close();
  }

  private forged(channel: string): void {
    // Logged at most once a minute: a flood of forgeries must not flood the log.
    if (Date.now() - this.forgedAt < 60_000) return;
    this.forgedAt = Date.now();
    this.options.logger.warn("redis_message_forged", { channel: channel.slice(0, 120) });
  }

  private setState(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    if (state === "down") this.options.logger.warn("redis_link_down", { node: this.options.nodeId });
    else this.options.logger.info("redis_link_up", { node: this.options.nodeId });
    this.options.onState?.(state);
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (!this.commands.connected) this.commands.connect().catch(() => {});
    await this.publish(this.heartbeatChannel, String(Date.now()));
    if (Date.now() - this.heardAt > DEAF_AFTER_MS && !this.resubscribing) {
      this.setState("down");
      await this.resubscribe();
    }
  }

  /** A fresh subscriber for every channel; the old one (perhaps silently deaf) is dropped. */
  private async resubscribe(): Promise<void> {
    if (this.closed) return;
    this.resubscribing = true;
    this.subscriber?.close();
    this.subscriber = null;
    const subscriber = new RedisClient(this.options.url, { connectionTimeout: 2000, autoReconnect: false });
    try {
      await subscriber.connect();
      await subscriber.subscribe([...this.handlers.keys()], (signed, channel) => {
        try {
          const message = this.verified(channel, signed);
          if (message === null) return this.forged(channel);
          this.handlers.get(channel)?.(message);
        } catch (error) {
          this.options.logger.error("redis_message_failed", { channel, error: describeError(error) });
        }
      });
      // A reconnect of this client means lost subscriptions: replace it at the next tick.
      subscriber.onclose = () => {
        if (this.subscriber === subscriber) this.heardAt = 0;
      };
      this.subscriber = subscriber;
      // Up once our own heartbeat comes back through it (the handler above), not before.
      await this.publish(this.heartbeatChannel, String(Date.now()));
    } catch {
      subscriber.close();
    } finally {
      this.resubscribing = false;
    }
  }
}
