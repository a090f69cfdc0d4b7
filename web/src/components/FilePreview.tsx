// A file attached to a message. PNG/JPEG/GIF/WebP (as detected by the server) show as a thumbnail,
// the image itself scaled by CSS, that opens a larger view; everything else is a card with name,
// size and type that downloads the file. Names are always inserted as text. Each has "Copy link":
// the file's own address, which opens for the conversation's members only (the server checks).
import { createSignal, Show } from "solid-js";
import type { Attachment } from "../chat/protocol.ts";
import { formatBytes, t } from "../i18n/index.ts";
import { copyText } from "../stores/clipboard.ts";
import { Dialog } from "./Dialog.tsx";
import "../styles/files.css";

const fileUrl = (attachment: Attachment) => `/api/files/${encodeURIComponent(attachment.id)}`;

const KNOWN_TYPES: Record<string, string> = {
  "application/pdf": "PDF",
  "application/zip": "ZIP",
  "application/gzip": "GZ",
  "video/mp4": "MP4",
  "image/png": "PNG",
  "image/jpeg": "JPG",
  "image/gif": "GIF",
  "image/webp": "WEBP",
};

/** A short label for the type badge: from the detected type, else the name's extension. */
function typeLabel(attachment: Pick<Attachment, "name" | "type">): string {
  const known = KNOWN_TYPES[attachment.type];
  if (known) return known;
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(attachment.name);
  return match ? match[1]!.toUpperCase() : t("files.typeFile");
}

export function FilePreview(props: { attachment: Attachment }) {
  const [viewing, setViewing] = createSignal(false);
  const a = () => props.attachment;
  const copyLink = () => copyText(new URL(fileUrl(a()), location.origin).href, t("files.linkCopied"));
  const CopyLink = () => (
    <button type="button" class="file-copy-link" aria-label={t("files.copyLinkTo", { name: a().name })} onClick={copyLink}>
      {t("files.copyLink")}
    </button>
  );

  return (
    <div class="file-preview" data-testid="file-preview">
      <Show
        when={a().image}
        fallback={
          <>
            <a class="file-card" href={fileUrl(a())} download={a().name}>
              <span class="visually-hidden">{t("files.downloadShort")} </span>
              <span class="file-type" aria-hidden="true">{typeLabel(a())}</span>
              <span class="file-details">
                <span class="file-name">{a().name}</span>
                <span class="file-meta">{formatBytes(a().size)} · {typeLabel(a())}</span>
              </span>
            </a>
            <span class="file-caption">
              <CopyLink />
            </span>
          </>
        }
      >
        <button type="button" class="file-image" aria-label={t("files.open", { name: a().name })} onClick={() => setViewing(true)}>
          <img src={`${fileUrl(a())}?inline=1`} alt={a().name} loading="lazy" decoding="async" />
        </button>
        <span class="file-caption">
          <span>{a().name}</span>
          <span>{formatBytes(a().size)}</span>
          <a href={fileUrl(a())} download={a().name}>{t("files.downloadShort")}</a>
          <CopyLink />
        </span>
        <Show when={viewing()}>
          <Dialog title={a().name} class="file-viewer" onClose={() => setViewing(false)}>
            <img class="file-viewer-image" src={`${fileUrl(a())}?inline=1`} alt={a().name} />
            <div class="file-viewer-actions">
              <a class="button" href={fileUrl(a())} download={a().name}>{t("files.download", { name: a().name })}</a>
            </div>
          </Dialog>
        </Show>
      </Show>
    </div>
  );
}
