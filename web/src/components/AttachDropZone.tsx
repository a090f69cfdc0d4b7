// The conversation as a drop target: files dragged onto it, or pasted (a screenshot from the
// clipboard) while typing, go to the composer's tray, the typed text staying as their caption. Text drags
// and text pastes are left alone.
import { createSignal, Show, type JSX } from "solid-js";
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";
import { uploadFiles } from "./UploadTray.tsx";

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;

export function AttachDropZone(props: { roomId: number; disabled?: boolean; children: JSX.Element }) {
  const [over, setOver] = createSignal(false);
  // dragenter/dragleave fire for every child crossed; count them to know when the drag really left.
  let depth = 0;

  return (
    <div
      class="attach-drop-zone"
      data-testid="drop-zone"
      onDragEnter={(event) => {
        if (!carriesFiles(event) || props.disabled) return;
        event.preventDefault();
        depth++;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event) || props.disabled) return;
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={(event) => {
        if (!carriesFiles(event)) return;
        depth = Math.max(0, depth - 1);
        if (depth === 0) setOver(false);
      }}
      onDrop={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth = 0;
        setOver(false);
        if (!props.disabled) void uploadFiles(props.roomId, [...(event.dataTransfer?.files ?? [])]);
      }}
      onPaste={(event) => {
        const files = [...(event.clipboardData?.files ?? [])];
        if (files.length === 0 || props.disabled) return;
        event.preventDefault();
        void uploadFiles(props.roomId, files);
      }}
    >
      {props.children}
      <Show when={over()}>
        <div class="drop-overlay" aria-hidden="true">
          <Icon name="paperclip" />
          <span>{t("files.dropHere")}</span>
        </div>
      </Show>
    </div>
  );
}
