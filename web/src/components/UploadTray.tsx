// Uploads in progress, per room. Each file goes up with XMLHttpRequest (fetch cannot report upload
// progress) as the raw body of POST /api/rooms/:id/files; a progress bar with cancel shows while it
// runs, and a clear line says why one failed (too large, over quota, network). The finished file
// arrives in the conversation through the socket's `message.created`, like any other message.
import { createSignal, For, Show, type Accessor, type Setter } from "solid-js";
import { api, call, refusal, type ApiError } from "../api/http.ts";
import { errorText } from "../i18n/errors.ts";
import { formatBytes, formatNumber, t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";
import "../styles/files.css";

/** GET /api/files/usage, as the route declares it. */
type Usage = NonNullable<Awaited<ReturnType<typeof api.files.usage.get>>["data"]>;

interface Upload {
  /** Also the message's clientId: a retry after a lost answer is stored once. */
  key: string;
  roomId: number;
  file: File;
  loaded: Accessor<number>;
  setLoaded: Setter<number>;
  error: Accessor<string | null>;
  setError: Setter<string | null>;
  /** A retry cannot help when the file is simply too big. */
  retryable: Accessor<boolean>;
  setRetryable: Setter<boolean>;
  xhr: XMLHttpRequest | null;
}

const [uploads, setUploads] = createSignal<Upload[]>([]);
let usage: Usage | null = null;

async function refreshUsage(): Promise<Usage | null> {
  try {
    usage = await call(api.files.usage.get());
  } catch {
    // Keep the last known figures; the server checks every upload anyway.
  }
  return usage;
}

function remove(upload: Upload): void {
  setUploads((list) => list.filter((u) => u !== upload));
}

function fail(upload: Upload, message: string, retryable = true): void {
  upload.xhr = null;
  upload.setError(message);
  upload.setRetryable(retryable);
}

async function explain(upload: Upload, error: ApiError): Promise<void> {
  const name = upload.file.name;
  if (error.code === "payload_too_large") {
    const known = usage ?? (await refreshUsage());
    fail(upload, known ? t("files.tooLarge", { name, limit: formatBytes(known.maxUploadBytes) }) : errorText(error), false);
  } else if (error.code === "quota_exceeded") {
    const known = await refreshUsage();
    fail(upload, known ? t("files.overQuota", { name, used: formatBytes(known.usedBytes), quota: formatBytes(known.quotaBytes) }) : errorText(error), false);
  } else {
    fail(upload, t("files.failed", { name, reason: errorText(error) }));
  }
}

function send(upload: Upload): void {
  upload.setError(null);
  upload.setLoaded(0);
  const xhr = new XMLHttpRequest();
  upload.xhr = xhr;
  const query = new URLSearchParams({ name: upload.file.name, clientId: upload.key });
  // The path comes from the typed client, so a moved upload route fails the typecheck here too.
  xhr.open("POST", `${api.rooms({ id: upload.roomId }).files["~path"]}?${query}`);
  xhr.setRequestHeader("content-type", "application/octet-stream");
  xhr.setRequestHeader("accept", "application/json");
  xhr.upload.onprogress = (event) => upload.setLoaded(event.loaded);
  xhr.onload = () => {
    if (xhr.status >= 200 && xhr.status < 300) {
      remove(upload);
      void refreshUsage();
      return;
    }
    let body: unknown = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      // Not JSON (a proxy's error page): refusal() falls back to the status.
    }
    void explain(upload, refusal(xhr.status, body, xhr.getResponseHeader("retry-after")));
  };
  xhr.onerror = () => fail(upload, t("files.failed", { name: upload.file.name, reason: t("error.network") }));
  xhr.send(upload.file);
}

/** Starts sending files into a room; too-large files are refused at once, before any byte is sent. */
export async function uploadFiles(roomId: number, files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const limits = usage ?? (await refreshUsage());
  for (const file of files) {
    const [loaded, setLoaded] = createSignal(0);
    const [error, setError] = createSignal<string | null>(null);
    const [retryable, setRetryable] = createSignal(true);
    const upload: Upload = { key: crypto.randomUUID(), roomId, file, loaded, setLoaded, error, setError, retryable, setRetryable, xhr: null };
    setUploads((list) => [...list, upload]);
    if (limits && file.size > limits.maxUploadBytes) {
      fail(upload, t("files.tooLarge", { name: file.name, limit: formatBytes(limits.maxUploadBytes) }), false);
    } else {
      send(upload);
    }
  }
}

function cancel(upload: Upload): void {
  const xhr = upload.xhr;
  upload.xhr = null;
  xhr?.abort();
  remove(upload);
}

/** The uploads of one room, shown above its composer. */
export function UploadTray(props: { roomId: number }) {
  const mine = () => uploads().filter((upload) => upload.roomId === props.roomId);
  return (
    <Show when={mine().length > 0}>
      <ul class="upload-tray" aria-label={t("files.uploads")} data-testid="upload-tray">
        <For each={mine()}>
          {(upload) => {
            const percent = () => (upload.file.size === 0 ? 100 : Math.min(100, Math.floor((upload.loaded() / upload.file.size) * 100)));
            return (
              <li class="upload" classList={{ failed: upload.error() !== null }}>
                <span class="upload-name" title={upload.file.name}>{upload.file.name}</span>
                <Show
                  when={upload.error()}
                  fallback={
                    <>
                      <span class="upload-percent">{formatNumber(percent())} %</span>
                      <progress class="upload-progress" max={100} value={percent()} aria-label={t("files.uploading", { name: upload.file.name })} />
                    </>
                  }
                >
                  {(message) => (
                    <>
                      <span />
                      <span class="upload-error" role="alert">{message()}</span>
                    </>
                  )}
                </Show>
                <span class="upload-actions">
                  <Show when={upload.error() !== null && upload.retryable()}>
                    <button type="button" class="icon-button" aria-label={t("files.retry", { name: upload.file.name })} title={t("chat.retry")} onClick={() => send(upload)}>
                      <Icon name="retry" />
                    </button>
                  </Show>
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={upload.error() === null ? t("files.cancel", { name: upload.file.name }) : t("files.dismiss", { name: upload.file.name })}
                    title={upload.error() === null ? t("common.cancel") : t("common.close")}
                    onClick={() => cancel(upload)}
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
