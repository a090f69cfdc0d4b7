// The paperclip left of the composer: picks one or more files for the tray (UploadTray.tsx), sent with the next message.
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";
import { uploadFiles } from "./UploadTray.tsx";
import { composerField } from "./composer-field.ts";

export function AttachButton(props: { roomId: number; disabled?: boolean }) {
  let input!: HTMLInputElement;
  return (
    <>
      <button
        type="button"
        class="icon-button attach-button"
        aria-label={t("files.attach")}
        title={t("files.attach")}
        disabled={props.disabled}
        onClick={() => input.click()}
      >
        <Icon name="paperclip" />
      </button>
      <input
        ref={input}
        class="attach-input"
        type="file"
        multiple
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = "";
          void uploadFiles(props.roomId, files);
          // The text typed next is the files' caption: it goes to this composer's field, not the paperclip.
          if (files.length > 0) composerField(input)?.focus();
        }}
      />
    </>
  );
}
