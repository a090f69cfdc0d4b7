// The composer's tray, per room (issue 19 item 9). Files chosen, dropped or pasted are staged: each
// goes up at once, with XMLHttpRequest (fetch cannot report upload progress), as the raw body of
// POST /api/rooms/:id/uploads, while the person reviews them — a thumbnail for an image, name and
// size, a progress bar, remove. Sending the composer sends the typed text as the caption of all the
// staged files together, as one message (`message.post` with `attachments`), in the order shown.
// A file removed after it was staged is removed on the server too (DELETE /api/uploads/:id); one
// never sent expires there by itself. A clear line says why a file cannot go (too large, over
// quota, too many for one message, network), with retry where a retry can help.
import { createSignal, For, Show, type Accessor, type Setter } from "solid-js";
import { api, call, refusal, type ApiError } from "../api/http.ts";
import { MAX_ATTACHMENTS } from "../chat/protocol.ts";
import { errorText } from "../i18n/errors.ts";
import { formatBytes, formatNumber, t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";
import "../styles/files.css";

/** GET /api/files/usage, as the route declares it. */
type Usage = NonNullable<Awaited<ReturnType<typeof api.files.usage.get>>["data"]>;

/** Uploads of one tab running at once: the server allows a person 4 (upload-slots.ts), other tabs included. */
const IN_FLIGHT = 2;
const PREVIEWABLE = /^image\/(png|jpeg|gif|webp|avif)$/;

interface TrayFile {
  key: string;
  roomId: number;
  file: File;
  /** An object URL for an image's thumbnail (revoked when the file leaves the tray). */
  preview: string | null;
  loaded: Accessor<number>;
  setLoaded: Setter<number>;
  error: Accessor<string | null>;
  setError: Setter<string | null>;
  /** A retry cannot help when the file is simply too big, or the tray full. */
  retryable: Accessor<boolean>;
  setRetryable: Setter<boolean>;
  /** The server's id once the bytes are stored. */
  staged: Accessor<string | null>;
  setStaged: Setter<string | null>;
  xhr: XMLHttpRequest | null;
}

const [tray, setTray] = createSignal<TrayFile[]>([]);
let usage: Usage | null = null;

async function refreshUsage(): Promise<Usage | null> {
  try {
    usage = await call(api.files.usage.get());
  } catch {
    // Keep the last known figures; the server checks every upload anyway.
  }
  return usage;
}

const waiting = (item: TrayFile) => item.staged() === null && item.error() === null && item.xhr === null;

function forget(items: TrayFile[]): void {
  for (const item of items) if (item.preview) URL.revokeObjectURL(item.preview);
  setTray((list) => list.filter((entry) => !items.includes(entry)));
}

function fail(item: TrayFile, message: string, retryable = true): void {
  item.xhr = null;
  item.setError(message);
  item.setRetryable(retryable);
}

async function explain(item: TrayFile, error: ApiError): Promise<void> {
  const name = item.file.name;
  if (error.code === "payload_too_large") {
    const known = usage ?? (await refreshUsage());
    fail(item, known ? t("files.tooLarge", { name, limit: formatBytes(known.maxUploadBytes) }) : errorText(error), false);
  } else if (error.code === "quota_exceeded") {
    const known = await refreshUsage();
    fail(item, known ? t("files.overQuota", { name, used: formatBytes(known.usedBytes), quota: formatBytes(known.quotaBytes) }) : errorText(error), false);
  } else {
    fail(item, t("files.failed", { name, reason: errorText(error) }));
  }
}

/** Starts the next waiting files, up to IN_FLIGHT at once, in the order they were added. */
function pump(): void {
  const list = tray();
  let running = list.filter((item) => item.xhr !== null).length;
  for (const item of list) {
    if (running >= IN_FLIGHT) return;
    if (!waiting(item)) continue;
    upload(item);
    running++;
  }
}

function upload(item: TrayFile): void {
  item.setError(null);
  item.setLoaded(0);
  const xhr = new XMLHttpRequest();
  item.xhr = xhr;
  const query = new URLSearchParams({ name: item.file.name });
  // The path comes from the typed client, so a moved route fails the typecheck here too.
  xhr.open("POST", `${api.rooms({ id: item.roomId }).uploads["~path"]}?${query}`);
  xhr.setRequestHeader("content-type", "application/octet-stream");
  xhr.setRequestHeader("accept", "application/json");
  xhr.upload.onprogress = (event) => item.setLoaded(event.loaded);
  xhr.onload = () => {
    if (item.xhr !== xhr) return; // removed meanwhile
    item.xhr = null;
    let body: unknown = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      // Not JSON (a proxy's error page): refusal() falls back to the status.
    }
    if (xhr.status >= 200 && xhr.status < 300) {
      item.setLoaded(item.file.size);
      item.setStaged((body as { upload: { id: string } }).upload.id);
      void refreshUsage();
    } else {
      void explain(item, refusal(xhr.status, body, xhr.getResponseHeader("retry-after")));
    }
    pump();
  };
  xhr.onerror = () => {
    if (item.xhr !== xhr) return;
    fail(item, t("files.failed", { name: item.file.name, reason: t("error.network") }));
    pump();
  };
  xhr.send(item.file);
}

/** Adds files to a room's tray and starts staging them; what cannot go says why at once. */
export async function uploadFiles(roomId: number, files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const limits = usage ?? (await refreshUsage());
  for (const file of files) {
    const [loaded, setLoaded] = createSignal(0);
    const [error, setError] = createSignal<string | null>(null);
    const [retryable, setRetryable] = createSignal(true);
    const [staged, setStaged] = createSignal<string | null>(null);
    const room = tray().filter((item) => item.roomId === roomId && item.error() === null);
    const item: TrayFile = {
      key: crypto.randomUUID(),
      roomId,
      file,
      preview: PREVIEWABLE.test(file.type) ? URL.createObjectURL(file) : null,
      loaded,
      setLoaded,
      error,
      setError,
      retryable,
      setRetryable,
      staged,
      setStaged,
      xhr: null,
    };
    setTray((list) => [...list, item]);
    if (room.length >= MAX_ATTACHMENTS) {
      fail(item, t("files.trayFull", { name: file.name, count: MAX_ATTACHMENTS }), false);
    } else if (limits && file.size > limits.maxUploadBytes) {
      fail(item, t("files.tooLarge", { name: file.name, limit: formatBytes(limits.maxUploadBytes) }), false);
    }
  }
  pump();
}

/** Takes a file out of the tray (and off the server when it was stored there). */
function remove(item: TrayFile): void {
  const xhr = item.xhr;
  item.xhr = null;
  xhr?.abort();
  const id = item.staged();
  if (id !== null) void call(api.uploads({ id }).delete()).catch(() => {}); // expires by itself otherwise
  forget([item]);
  pump();
}

function retry(item: TrayFile): void {
  item.setError(null);
  pump();
}

/**
 * What the room's tray allows the composer: "empty" (send text as usual), "busy" (files still going
 * up, or one that failed: send waits), or "ready" (send them with the text as their caption).
 */
export function trayStatus(roomId: number): "empty" | "busy" | "ready" {
  const mine = tray().filter((item) => item.roomId === roomId);
  if (mine.length === 0) return "empty";
  return mine.every((item) => item.staged() !== null) ? "ready" : "busy";
}

/** The staged files of a ready tray, in order, for one message; the tray empties (the server keeps them). */
export function takeTray(roomId: number): { ids: string[]; files: { name: string; size: number }[] } {
  const mine = tray().filter((item) => item.roomId === roomId && item.staged() !== null);
  forget(mine);
  return { ids: mine.map((item) => item.staged()!), files: mine.map((item) => ({ name: item.file.name, size: item.file.size })) };
}

/** The files waiting to be sent with the next message of one room, shown above its composer. */
export function UploadTray(props: { roomId: number }) {
  const mine = () => tray().filter((item) => item.roomId === props.roomId);
  return (
    <Show when={mine().length > 0}>
      <ul class="upload-tray" aria-label={t("files.tray")} data-testid="upload-tray">
        <For each={mine()}>
          {(item) => {
            const percent = () => (item.file.size === 0 ? 100 : Math.min(100, Math.floor((item.loaded() / item.file.size) * 100)));
            return (
              <li class="upload" classList={{ failed: item.error() !== null, staged: item.staged() !== null }}>
                <span class="upload-thumb" aria-hidden="true">
                  <Show when={item.preview} fallback={<Icon name="paperclip" />}>
                    {(src) => <img src={src()} alt="" />}
                  </Show>
                </span>
                <span class="upload-name" title={item.file.name}>
                  {item.file.name}
                  <span class="upload-size">{formatBytes(item.file.size)}</span>
                </span>
                <Show
                  when={item.error()}
                  fallback={
                    <Show when={item.staged() === null} fallback={<span class="upload-ready">{t("files.ready")}</span>}>
                      <span class="upload-percent">{formatNumber(percent())} %</span>
                      <progress class="upload-progress" max={100} value={percent()} aria-label={t("files.uploading", { name: item.file.name })} />
                    </Show>
                  }
                >
                  {(message) => <span class="upload-error" role="alert">{message()}</span>}
                </Show>
                <span class="upload-actions">
                  <Show when={item.error() !== null && item.retryable()}>
                    <button type="button" class="icon-button" aria-label={t("files.retry", { name: item.file.name })} title={t("chat.retry")} onClick={() => retry(item)}>
                      <Icon name="retry" />
                    </button>
                  </Show>
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={item.error() === null ? t("files.remove", { name: item.file.name }) : t("files.dismiss", { name: item.file.name })}
                    title={item.error() === null ? t("files.removeShort") : t("common.close")}
                    onClick={() => remove(item)}
                  >
                    <Icon name="close" />
                  </button>
                </span>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
