import { createSignal, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { api, call } from "../../api/http.ts";
import { chatState, dispatch } from "../../stores/chat.ts";
import { leaveRoom } from "../../stores/chat-actions.ts";
import { closeDialog } from "../../stores/ui.ts";
import { showToast } from "../../stores/toast.ts";
import { MAX_ROOM_NAME_LENGTH, MAX_ROOM_TOPIC_LENGTH, type PinPolicy, type Room } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { createFormAction, FormError } from "../form-action.tsx";
import { RoomRetentionSection } from "./RoomRetentionSection.tsx";

/** Name and topic (owner or admin), and leaving the room (anyone). */
export function RoomSettingsDialog(props: { room: Room }) {
  const navigate = useNavigate();
  const [name, setName] = createSignal(props.room.name);
  const [topic, setTopic] = createSignal(props.room.topic);
  const [pinPolicy, setPinPolicy] = createSignal<PinPolicy>(props.room.pinPolicy);
  const { busy, error, setError, run } = createFormAction();
  const [confirmLeave, setConfirmLeave] = createSignal(false);
  const canManage = () => props.room.role === "owner" || chatState().me?.isAdmin === true;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const roomId = props.room.id;
    await run(async () => {
      const patch = { name: name().trim(), topic: topic().trim(), ...(props.room.kind === "public" ? { pinPolicy: pinPolicy() } : {}) };
      const { room } = await call(api.rooms({ id: roomId }).patch(patch));
      dispatch({ type: "room.updated", room });
      closeDialog();
    });
  };

  const leave = async () => {
    const roomId = props.room.id;
    try {
      await leaveRoom(roomId);
      closeDialog();
      navigate("/chat", { replace: true });
    } catch (err) {
      setError(errorText(err));
      setConfirmLeave(false);
    }
  };

  return (
    <Dialog title={t("room.settings")} onClose={closeDialog}>
      {/* The fields scroll and the actions stay in view: on a short window (1280×800) the fields no
          longer overflow the form and cover its buttons. */}
      <form class="dialog-form" onSubmit={save}>
        <div class="dialog-scroll">
          <FormError error={error()} />
          <Show when={canManage()} fallback={<p class="muted">{t("room.onlyOwner")}</p>}>
            <div class="field">
              <label for="room-name">{t("newRoom.name")}</label>
              <input id="room-name" class="input" required maxLength={MAX_ROOM_NAME_LENGTH} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="room-topic">{t("newRoom.topic")}</label>
              <input id="room-topic" class="input" maxLength={MAX_ROOM_TOPIC_LENGTH} value={topic()} onInput={(e) => setTopic(e.currentTarget.value)} />
            </div>
            <Show when={props.room.kind === "public"}>
              <div class="field">
                <label for="room-pin-policy">{t("pins.policy")}</label>
                <select id="room-pin-policy" class="input" value={pinPolicy()} onChange={(e) => setPinPolicy(e.currentTarget.value as PinPolicy)}>
                  <option value="members">{t("pins.policyMembers")}</option>
                  <option value="owners">{t("pins.policyOwners")}</option>
                </select>
              </div>
            </Show>
          </Show>
          <Show when={props.room.kind !== "dm"}>
            <RoomRetentionSection roomId={props.room.id} canManage={canManage()} />
          </Show>
          <Show when={chatState().me?.isAdmin}>
            <div class="dialog-section">
              <p class="muted small-text">{t("export.roomHint")}</p>
              <button
                type="button"
                class="button small"
                disabled={busy()}
                onClick={() =>
                  void run(async () => {
                    await call(api.admin.rooms({ id: props.room.id }).export.post());
                    showToast(t("export.roomStarted"));
                  })
                }
              >
                {t("export.roomButton")}
              </button>
            </div>
          </Show>
        </div>
        <div class="dialog-actions spread">
          <button type="button" class="button danger" onClick={() => setConfirmLeave(true)}>{t("room.leave")}</button>
          <Show when={canManage()}>
            <button type="submit" class="button primary" disabled={busy() || !name().trim()}>{t("common.save")}</button>
          </Show>
        </div>
      </form>
      <Show when={confirmLeave()}>
        <ConfirmDialog
          title={t("room.leaveTitle")}
          text={props.room.kind === "private" ? t("room.leavePrivate") : t("room.leavePublic")}
          confirm={t("room.leave")}
          danger
          onConfirm={leave}
          onCancel={() => setConfirmLeave(false)}
        />
      </Show>
    </Dialog>
  );
}
