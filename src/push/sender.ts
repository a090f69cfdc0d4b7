// Sends Web Push requests (RFC 8030) off the request path: a bounded queue drained by a few
// concurrent senders, so posting a message never waits for a push service, and one slow or hanging
// push service holds at most PER_ORIGIN of the slots (with a timeout) while the others go on.
//
// Contract: enqueue() returns at once (false when the queue is full: that push is dropped and
// counted, never the message). Each request is encrypted (RFC 8291, aes128gcm) and signed (VAPID,
// RFC 8292: a JWT for the push service's origin, valid 12 h, reused for an hour) with `web-push`,
// and sent with fetch to the endpoint's checked address (endpoint-guard.ts) — the connection is
// pinned to that address, with the host name kept for TLS, so a DNS answer that changes between the
// check and the connection cannot redirect it. Redirects are never followed. 404/410 mean the
// subscription is gone: onGone forgets it. 429, 5xx, timeouts and network errors are retried with
// exponential backoff (Retry-After honoured up to a minute), MAX_ATTEMPTS times in all.
//
// Paced (limits/pacer.ts): requests start in batches sized to ~1 ms of the event loop's work
// (encrypting and signing, timed), each followed by a rest that grows while the server is busy. A
// burst (one message to a room of 1,000 subscribers) no longer takes the whole core: the chat's own
// frames keep their latency, and the pushes finish a little later (bench: push). The TLS work of the
// requests runs on Bun's "HTTP Client" thread, which starts with the first request: it is lowered
// then to the priority of the hashing threads, so on a shared core the scheduler runs the chat first.
import type WebPush from "web-push";
import { isIP } from "node:net";
import type { Logger } from "../log.ts";
import { describeError } from "../errors.ts";
import type { VapidKeys } from "../secrets.ts";
import { Pacer, processLoad, type PacerOptions } from "../limits/pacer.ts";
import { lowerThreadsNamed } from "../limits/thread-priority.ts";
import { checkEndpoint, systemResolver, type Resolver } from "./endpoint-guard.ts";
import type { PushTarget } from "./subscriptions.ts";

/** web-push (with its ASN.1 and big-number libraries) is loaded at the first push, not at every start. */
let webPushModule: Promise<typeof WebPush> | null = null;
const loadWebPush = () => (webPushModule ??= import("web-push").then((module) => module.default));

export interface PushMessage {
  target: PushTarget;
  /** The JSON the service worker receives (payload.ts). */
  payload: string;
  urgency: "high" | "normal";
  /** Seconds the push service keeps it for a device that is offline. */
  ttl: number;
}

export interface PushSenderOptions {
  vapid: VapidKeys;
  /** The VAPID `sub` claim: how a push service can reach the operator (an https URL or mailto:). */
  subject: string;
  allowPrivate: boolean;
  logger: Logger;
  onGone(target: PushTarget): Promise<void>;
  resolve?: Resolver;
  /** Extra CA certificates (PEM) to trust for push services (tests, air-gapped push services). */
  ca?: string;
  maxQueue?: number;
  concurrency?: number;
  perOrigin?: number;
  timeoutMs?: number;
  retryBaseMs?: number;
  pace?: PacerOptions;
  /**
   * Lower the priority of Bun's HTTP Client thread at the first request (default true). Tests that
   * run in the test runner's own process turn it off: the thread would be the runner's.
   */
  lowerHttpThread?: boolean;
}

export const MAX_ATTEMPTS = 3;
/**
 * Each request costs ~0.25 ms of encryption on the loop (and TLS on Bun's HTTP thread): batches of
 * ~1 ms (up to 8 requests: the HTTP thread's work follows each batch), resting half as long on a
 * quiet server, up to 32 times as long while the process uses more than 60 % of its cores. The first
 * push after a quiet spell starts at once. Measured (bench: push, 9,000 pushes, one core): ordinary
 * messages' p99 during the burst 61 ms unpaced, 11-13 ms paced; 2,388 -> ~1,750 pushes/s.
 */
export const PUSH_PACE: PacerOptions = {
  initial: 2, min: 1, max: 8, targetMs: 1, minFactor: 0.5, maxFactor: 32, busyShare: 0.6, minPauseMs: 1, maxPauseMs: 250,
};
/** The name Bun gives the thread that runs every fetch's I/O and TLS. */
const HTTP_THREAD = "HTTP Client";
/** CPU time is sampled no more often than this (shorter windows read 0 or 1). */
const LOAD_WINDOW_MS = 25;
const VAPID_VALID_S = 12 * 3600;
const VAPID_REUSE_MS = 3600_000;

interface Job extends PushMessage {
  attempt: number;
  origin: string;
}

export interface PushStats {
  queued: number;
  inFlight: number;
  sent: number;
  gone: number;
  failed: number;
  retried: number;
  dropped: number;
  refused: number;
}

export class PushSender {
  private readonly queue: Job[] = [];
  private readonly perOriginInFlight = new Map<string, number>();
  private readonly vapidHeaders = new Map<string, { value: string; at: number }>();
  private readonly waiting = new Set<ReturnType<typeof setTimeout>>();
  private inFlight = 0;
  private closed = false;
  private scheduled = false;
  private restTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pacer: Pacer;
  private readonly load = processLoad(LOAD_WINDOW_MS);
  /** Requests the last batch started, the loop's work (ms) for them so far, and when it last worked. */
  private batch = 0;
  private workMs = 0;
  private workedAt = 0;
  private httpThreadLowered = false;
  private idleWaiters: (() => void)[] = [];
  readonly stats: PushStats = { queued: 0, inFlight: 0, sent: 0, gone: 0, failed: 0, retried: 0, dropped: 0, refused: 0 };
  private readonly maxQueue: number;
  private readonly concurrency: number;
  private readonly perOrigin: number;
  private readonly timeoutMs: number;
  private readonly retryBaseMs: number;

  constructor(private readonly options: PushSenderOptions) {
    this.maxQueue = options.maxQueue ?? 10_000;
    this.concurrency = options.concurrency ?? 32;
    this.perOrigin = options.perOrigin ?? 8;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.pacer = new Pacer(options.pace ?? PUSH_PACE);
  }

  /** Queues one push; false (and counted as dropped) when the queue is full or the sender stopped. */
  enqueue(message: PushMessage): boolean {
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.stats.dropped++;
      return false;
    }
    let origin: string;
    try {
      origin = new URL(message.target.endpoint).origin;
    } catch {
      this.stats.refused++;
      return false;
    }
    this.queue.push({ ...message, attempt: 0, origin });
    this.pump();
    return true;
  }

  /** Resolves once nothing is queued, waiting for a retry or in flight (tests, the benchmark). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const timer of this.waiting) clearTimeout(timer);
    this.waiting.clear();
    if (this.restTimer) clearTimeout(this.restTimer);
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.waiting.size === 0;
  }

  private settleIdle(): void {
    this.stats.queued = this.queue.length;
    this.stats.inFlight = this.inFlight;
    if (!this.isIdle() && !this.closed) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Starts more requests on a later turn (never from inside the caller's own turn). */
  private pump(): void {
    if (this.scheduled || this.closed) return this.settleIdle();
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startSome();
    });
  }

  private startSome(): void {
    // One turn after a batch, its requests are encrypted and on their way: rest in proportion, less
    // the time already quiet (a push after a quiet spell starts at once).
    if (this.batch > 0 && this.queue.length > 0 && !this.closed) {
      const rest = this.pacer.after(this.batch, this.workMs, this.load()) - (performance.now() - this.workedAt);
      this.batch = 0;
      this.workMs = 0;
      if (rest >= 1) {
        this.scheduled = true;
        this.restTimer = setTimeout(() => {
          this.restTimer = null;
          this.scheduled = false;
          this.startSome();
        }, rest);
        this.restTimer.unref?.();
        return;
      }
    }
    this.batch = 0;
    this.workMs = 0;
    let started = 0;
    const size = this.pacer.size;
    while (!this.closed && this.inFlight < this.concurrency && this.queue.length > 0 && started < size) {
      // The first job whose push service has a free slot: a slow service waits behind itself only.
      const index = this.queue.findIndex((job) => (this.perOriginInFlight.get(job.origin) ?? 0) < this.perOrigin);
      if (index === -1) break;
      const [job] = this.queue.splice(index, 1) as [Job];
      started++;
      this.inFlight++;
      this.perOriginInFlight.set(job.origin, (this.perOriginInFlight.get(job.origin) ?? 0) + 1);
      void this.send(job).finally(() => {
        this.inFlight--;
        const left = (this.perOriginInFlight.get(job.origin) ?? 1) - 1;
        if (left > 0) this.perOriginInFlight.set(job.origin, left);
        else this.perOriginInFlight.delete(job.origin);
        this.pump();
        this.settleIdle();
      });
    }
    this.batch = started;
    if (started > 0 && this.queue.length > 0) this.pump();
    this.settleIdle();
  }

  private vapidHeader(webpush: typeof WebPush, origin: string, now: number): string {
    const cached = this.vapidHeaders.get(origin);
    if (cached && now - cached.at < VAPID_REUSE_MS) return cached.value;
    const { publicKey, privateKey } = this.options.vapid;
    const headers = webpush.getVapidHeaders(origin, this.options.subject, publicKey, privateKey, "aes128gcm", Math.floor(now / 1000) + VAPID_VALID_S);
    if (this.vapidHeaders.size > 1000) this.vapidHeaders.clear();
    this.vapidHeaders.set(origin, { value: headers.Authorization, at: now });
    return headers.Authorization;
  }

  private async send(job: Job): Promise<void> {
    job.attempt++;
    const { target } = job;
    let outcome: "sent" | "gone" | "retry" | "failed";
    let retryAfterMs = 0;
    try {
      const verdict = await checkEndpoint(target.endpoint, { allowPrivate: this.options.allowPrivate, resolve: this.options.resolve });
      if (!verdict.ok) {
        this.stats.refused++;
        this.options.logger.warn("push_endpoint_refused", { subscription: target.id, reason: verdict.reason });
        return;
      }
      const url = verdict.url;
      const host = url.hostname.replace(/^\[|\]$/g, "");
      // Pinned to an address the check itself resolved and found public, the name kept for TLS and Host:
      // a second lookup here could answer loopback to a rebinding DNS server. Only when nothing was
      // checked (--push-allow-private) is the name resolved here.
      const address = isIP(host) ? host : (verdict.addresses?.[0] ?? (await (this.options.resolve ?? systemResolver)(host))[0] ?? host);
      const pinned = new URL(url.href);
      pinned.hostname = isIP(address) === 6 ? `[${address}]` : address;
      const webpush = await loadWebPush();
      const working = performance.now();
      const details = webpush.generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        job.payload,
        { headers: { Authorization: this.vapidHeader(webpush, job.origin, Date.now()) }, TTL: job.ttl, urgency: job.urgency, contentEncoding: "aes128gcm" },
      );
      const request = fetch(pinned.href, {
        method: "POST",
        headers: { ...details.headers, host: url.host } as Record<string, string>,
        body: details.body as Uint8Array<ArrayBuffer>,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
        tls: { ...(isIP(host) ? {} : { serverName: host }), ...(this.options.ca ? { ca: this.options.ca } : {}) },
      } as RequestInit);
      this.workedAt = performance.now();
      this.workMs += this.workedAt - working;
      const response = await request;
      if (!this.httpThreadLowered) {
        // Once: the thread exists now, and lives as long as the process.
        this.httpThreadLowered = true;
        const lowered = this.options.lowerHttpThread === false ? [] : lowerThreadsNamed(HTTP_THREAD);
        this.options.logger.info("push_http_thread", { lowered: lowered.length > 0, tids: lowered.join(",") });
      }
      // The answer's body is not needed; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) outcome = "sent";
      else if (response.status === 404 || response.status === 410) outcome = "gone";
      else if (response.status === 429 || response.status >= 500) {
        outcome = "retry";
        const seconds = Number(response.headers.get("retry-after"));
        if (Number.isFinite(seconds) && seconds > 0) retryAfterMs = Math.min(60_000, seconds * 1000);
      } else {
        outcome = "failed";
        this.options.logger.warn("push_rejected", { subscription: target.id, status: response.status });
      }
    } catch (error) {
      outcome = "retry";
      this.options.logger.warn("push_send_failed", { subscription: target.id, attempt: job.attempt, error: describeError(error) });
    }
    if (outcome === "sent") this.stats.sent++;
    else if (outcome === "gone") {
      this.stats.gone++;
      await this.options.onGone(target).catch((error) => this.options.logger.error("push_forget_failed", { error: describeError(error) }));
    } else if (outcome === "retry" && job.attempt < MAX_ATTEMPTS && !this.closed) {
      this.stats.retried++;
      const delay = Math.max(retryAfterMs, this.retryBaseMs * 2 ** (job.attempt - 1) * (0.5 + Math.random() / 2));
      const timer = setTimeout(() => {
        this.waiting.delete(timer);
        if (this.closed) return this.settleIdle();
        this.queue.push(job);
        this.pump();
      }, delay);
      timer.unref?.();
      this.waiting.add(timer);
    } else this.stats.failed++;
  }
}
