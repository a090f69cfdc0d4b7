// VaultRoom's service worker (issue 12). Two jobs:
// 1. Web Push: show the notification a push describes (the server sends only what it shows: room,
//    sender, and the text only with previews on), and open the message when it is clicked.
// 2. The offline shell: the app's own files (index.html and the content-hashed /assets/) are kept so
//    an installed app starts at once and shows its reconnect banner when the server is out of reach.
//    Pages are fetched from the network first (a new version is used as soon as it is deployed) and
//    the kept copy is used only when the network fails. API answers, the socket and shared files are
//    never kept: private data stays out of the disk cache (the server marks them no-store, too).
const SHELL = "vaultroom-shell-v1";
const STATIC = ["/favicon.svg", "/icon-192.png", "/icon-512.png", "/manifest.webmanifest", "/notify.wav"];

const french = () => (self.navigator.language || "").toLowerCase().startsWith("fr");
const words = () =>
  french()
    ? { inRoom: (s, r) => `${s} dans ${r}`, dm: "Nouveau message direct", message: "Nouveau message", test: "Notification de test", testBody: "Les notifications fonctionnent sur cet appareil." }
    : { inRoom: (s, r) => `${s} in ${r}`, dm: "New direct message", message: "New message", test: "Test notification", testBody: "Notifications work on this device." };

/** index.html and the files it names under /assets/ (hashed: never stale). */
async function keepShell(response) {
  const cache = await caches.open(SHELL);
  await cache.put("/", response.clone());
  const html = await response.text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await Promise.all(
    [...assets, ...STATIC].map(async (path) => {
      if (await cache.match(path)) return;
      const answer = await fetch(path, { credentials: "same-origin" });
      if (answer.ok) await cache.put(path, answer);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    fetch("/", { credentials: "same-origin" })
      .then((response) => (response.ok ? keepShell(response) : undefined))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== SHELL).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

const kept = (url) => url.pathname.startsWith("/assets/") || STATIC.includes(url.pathname);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/ws") return; // never cached
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && (response.headers.get("content-type") || "").startsWith("text/html")) {
            event.waitUntil(keepShell(response.clone()).catch(() => undefined));
          }
          return response;
        })
        .catch(async () => (await caches.match("/")) || Response.error()),
    );
    return;
  }
  if (kept(url)) {
    event.respondWith(
      caches.match(url.pathname).then(
        (hit) =>
          hit ||
          fetch(request).then(async (response) => {
            if (response.ok) await (await caches.open(SHELL)).put(url.pathname, response.clone());
            return response;
          }),
      ),
    );
  }
});

self.addEventListener("push", (event) => {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  if (!data || data.v !== 1) return;
  const w = words();
  let title;
  let body;
  let url = "/chat";
  if (data.kind === "test") {
    title = w.test;
    body = w.testBody;
  } else {
    title = data.dm ? data.sender : w.inRoom(data.sender, data.room);
    body = typeof data.text === "string" ? data.text : data.dm ? w.dm : w.message;
    url = `/chat/${Number(data.roomId)}?message=${Number(data.messageId)}`;
  }
  event.waitUntil(self.registration.showNotification(title, { body, tag: String(data.tag || "vaultroom"), icon: "/icon-192.png", badge: "/icon-192.png", data: { url } }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/chat";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        open.postMessage({ type: "open", url });
        return open.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
