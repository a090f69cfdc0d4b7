// Web Push in this browser: the service worker (web/public/sw.js, registered at start on every
// page: it also keeps the app shell for offline starts), and this browser's push subscription,
// made with the server's VAPID key and sent to the server, which ties it to this session. The
// browser asks for permission only from enablePush(), called when I turn notifications on.
import { api, call } from "../api/http.ts";

export const swSupported = () => typeof navigator !== "undefined" && "serviceWorker" in navigator;
export const pushSupported = () => swSupported() && typeof PushManager !== "undefined";

/** Registers the service worker (idempotent); failures (an untrusted certificate) leave the app working. */
export function registerServiceWorker(): void {
  if (!swSupported()) return;
  void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
}

const keyBytes = (base64url: string) => Uint8Array.from(atob(base64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const sameKey = (a: ArrayBuffer | null | undefined, b: Uint8Array) => !!a && a.byteLength === b.length && new Uint8Array(a).every((x, i) => x === b[i]);

/**
 * Subscribes this browser to pushes and tells the server (again: the server keeps one per session,
 * so re-sending is harmless). A subscription made for another server key (after a restore) is replaced.
 */
export async function enablePush(): Promise<boolean> {
  if (!pushSupported()) return false;
  const registration = await navigator.serviceWorker.ready;
  const { vapidPublicKey } = await call(api.notifications.get());
  const key = keyBytes(vapidPublicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await call(api.push.subscription.put({ endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } }));
  return true;
}

/** Turns push off for this browser, here and on the server. */
export async function disablePush(): Promise<void> {
  if (pushSupported()) {
    const registration = await navigator.serviceWorker.getRegistration();
    await (await registration?.pushManager.getSubscription())?.unsubscribe().catch(() => undefined);
  }
  await call(api.push.subscription.delete()).catch(() => undefined);
}
