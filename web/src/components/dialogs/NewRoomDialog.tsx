import { createSignal } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t } from "../../i18n/index.ts";
import { api, call } from "../../api/http.ts";
import { chatState, dispatch } from "../../stores/chat.ts";
import { closeDialog } from "../../stores/ui.ts";
import { MAX_ROOM_NAME_LENGTH, MAX_ROOM_TOPIC_LENGTH, type UserRef } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { createFormAction, FormError } from "../form-action.tsx";
import { PeoplePicker, searchPeople } from "../PeoplePicker.tsx";
import { exactPerson } from "../../chat/exact-person.ts";

export function NewRoomDialog() {
  const navigate = useNavigate();
  const [name, setName] = createSignal("");
  const [topic, setTopic] = createSignal("");
  const [kind, setKind] = createSignal<"public" | "private">("public");
  const [members, setMembers] = createSignal<UserRef[]>([]);
  const [typed, setTyped] = createSignal("");
  const { busy, error, setError, run } = createFormAction();
  const toggle = (user: UserRef) =>
    setMembers((list) => (list.some((u) => u.id === user.id) ? list.filter((u) => u.id !== user.id) : [...list, user]));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!name().trim()) return;
    await run(async () => {
      // A name typed in the picker but not picked: add that person if the name is exact, else ask.
      const pending = typed().trim();
      if (pending) {
        const me = chatState().me?.id;
        const person = exactPerson((await searchPeople(pending)).filter((u) => u.id !== me), pending);
        if (!person) {
          setError(t("newRoom.unpicked", { name: pending }));
          return;
        }
        if (!members().some((u) => u.id === person.id)) setMembers((list) => [...list, person]);
        setTyped("");
      }
      const { room } = await call(
        api.rooms.post({
          name: name().trim(),
          topic: topic().trim() || undefined,
          kind: kind(),
          members: members().map((u) => u.id),
        }),
      );
      dispatch({ type: "local.room", room });
      closeDialog();
      navigate(`/chat/${room.id}`);
    });
  };

  return (
    <Dialog title={t("newRoom.title")} onClose={closeDialog}>
      <form class="dialog-form" onSubmit={submit}>
        <div class="dialog-scroll">
          <FormError error={error()} />
          <div class="field">
            <label for="new-room-name">{t("newRoom.name")}</label>
            <input id="new-room-name" class="input" autofocus required maxLength={MAX_ROOM_NAME_LENGTH} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="new-room-topic">{t("newRoom.topic")}</label>
            <input id="new-room-topic" class="input" maxLength={MAX_ROOM_TOPIC_LENGTH} value={topic()} onInput={(e) => setTopic(e.currentTarget.value)} />
          </div>
          <fieldset class="field choice-group">
            <legend class="label">{t("newRoom.visibility")}</legend>
            <label class="choice">
              <input type="radio" name="kind" value="public" checked={kind() === "public"} onChange={() => setKind("public")} />
              <span>
                <strong>{t("newRoom.public")}</strong>
                <span class="muted small-text">{t("newRoom.publicHint")}</span>
              </span>
            </label>
            <label class="choice">
              <input type="radio" name="kind" value="private" checked={kind() === "private"} onChange={() => setKind("private")} />
              <span>
                <strong>{t("newRoom.private")}</strong>
                <span class="muted small-text">{t("newRoom.privateHint")}</span>
              </span>
            </label>
          </fieldset>
          <PeoplePicker selected={members()} onToggle={toggle} exclude={new Set([chatState().me?.id ?? 0])} label={t("newRoom.members")} onQuery={setTyped} />
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={closeDialog}>{t("common.cancel")}</button>
          <button type="submit" class="button primary" disabled={busy() || !name().trim()}>{t("newRoom.create")}</button>
        </div>
      </form>
    </Dialog>
  );
}
