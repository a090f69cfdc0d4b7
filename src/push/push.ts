// Web Push, assembled once per app: the sender and its queue, the notifier that decides once per
// committed message, and what the routes call (subscribe this browser, list and remove my devices,
// send a test). Built on the chat (its announcement listeners and visible-tab tracking).
import { hostname } from "node:os";
import type { Actor } from "../accounts/sessions.ts";
import type { Config } from "../config.ts";
import type { Store } from "../db/store.ts";
import { errors } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Chat } from "../messages/chat.ts";
import type { Secrets } from "../secrets.ts";
import { checkEndpoint } from "./endpoint-guard.ts";
import { PushNotifier, PUSH_TTL_SECONDS } from "./notifier.ts";
import type { PushPayload } from "./payload.ts";
import { PushSender } from "./sender.ts";
import { pushSubscriptions, removeGone, removeOwn, removeSession, subscribe, type PushDevice } from "./subscriptions.ts";

export interface NewSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const refused = (why: string) => errors.badRequest("push_endpoint_refused", `This push service address cannot be used: ${why}.`);

/** A P-256 public key (65 bytes, uncompressed) and a 16-byte secret, base64url as browsers give them. */
function checkKeys(keys: NewSubscription["keys"]): void {
  const p256dh = Buffer.from(keys.p256dh, "base64url");
  const auth = Buffer.from(keys.auth, "base64url");
  if (p256dh.length !== 65 || p256dh[0] !== 4 || auth.length !== 16) throw errors.badRequest("invalid_request", "The subscription's keys are not valid.");
}

export function createPush(deps: { store: Store; chat: Chat; config: Config; secrets: Secrets; logger: Logger }) {
  const { store, config, logger } = deps;
  // Who a push service can contact: the public address when one is configured (--origin, --domain);
  // otherwise a mailto: on this host (push services, Apple's among them, refuse https://localhost).
  const subject = config.origins[0] ?? (config.acme ? `https://${config.acme.domains[0]}` : `mailto:vaultroom@${hostname() || "localhost"}`);
  const sender = new PushSender({
    vapid: deps.secrets.vapid,
    subject,
    allowPrivate: config.pushAllowPrivate,
    logger,
    ca: config.pushTuning?.ca,
    retryBaseMs: config.pushTuning?.retryBaseMs,
    timeoutMs: config.pushTuning?.timeoutMs,
    lowerHttpThread: config.pushTuning?.lowerHttpThread,
    onGone: async (target) => {
      await store.write(removeGone, { id: target.id, endpoint: target.endpoint });
    },
  });
  const notifier = new PushNotifier({ store, sender, visibility: deps.chat.visibility, logger });
  deps.chat.onDelivered((batch) => notifier.delivered(batch));
  deps.chat.onCommitted((batch) => notifier.committed(batch));
  // The store is open already: who has push is read now, and every minute.
  void notifier.start();
  deps.chat.onShutdown(() => {
    notifier.close();
    sender.close();
  });

  return {
    sender,
    notifier,
    vapidPublicKey: deps.secrets.vapid.publicKey,

    /** Turns push on for this browser (this session): its subscription replaces the session's previous one. */
    async subscribe(actor: Actor, input: NewSubscription, userAgent: string): Promise<void> {
      checkKeys(input.keys);
      const verdict = await checkEndpoint(input.endpoint, { allowPrivate: config.pushAllowPrivate });
      if (!verdict.ok) throw refused(verdict.reason);
      await store.write(subscribe, {
        userId: actor.userId,
        sessionId: actor.sessionId,
        endpoint: input.endpoint,
        p256dh: input.keys.p256dh,
        auth: input.keys.auth,
        userAgent,
        now: Date.now(),
      });
    },

    devices: (actor: Actor): Promise<PushDevice[]> => pushSubscriptions.list(store.read, actor.userId, actor.sessionId),
    remove: (actor: Actor, id: number) => store.write(removeOwn, { userId: actor.userId, id }),
    removeCurrent: (actor: Actor) => store.write(removeSession, { userId: actor.userId, sessionId: actor.sessionId }),

    /** "Send a test notification": to every device of mine with push on, whatever my settings. */
    async test(actor: Actor): Promise<{ devices: number }> {
      const targets = await pushSubscriptions.forUsers(store.read, [actor.userId]);
      const payload: PushPayload = { v: 1, kind: "test", roomId: 0, messageId: 0, room: "", dm: false, mention: false, sender: "", tag: "vaultroom-test" };
      for (const target of targets) sender.enqueue({ target, payload: JSON.stringify(payload), urgency: "high", ttl: PUSH_TTL_SECONDS });
      return { devices: targets.length };
    },
  };
}

export type Push = ReturnType<typeof createPush>;
