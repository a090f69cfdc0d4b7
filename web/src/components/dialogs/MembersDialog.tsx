import { createSignal, For, onMount, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { api, call } from "../../api/http.ts";
import { chatState } from "../../stores/chat.ts";
import { loadMembers } from "../../stores/chat-actions.ts";
import { closeDialog, openDialog } from "../../stores/ui.ts";
import { showToast } from "../../stores/toast.ts";
import { openDm } from "../../chat/open-dm.ts";
import { displayNameOf } from "../../chat/names.ts";
import type { Member, Room, UserRef } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { Avatar } from "../Avatar.tsx";
import { Icon } from "../Icon.tsx";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { roomRef } from "../../chat/rooms.ts";

export function MembersDialog(props: { room: Room }) {
  const navigate = useNavigate();
  const [removing, setRemoving] = createSignal<Member | null>(null);
  const [banning, setBanning] = createSignal<Member | null>(null);
  onMount(() => {
    if (props.room.kind !== "dm") void loadMembers(props.room.id);
  });
  const people = (): (UserRef & { role?: string })[] =>
    props.room.kind === "dm" ? props.room.participants : (chatState().members[props.room.id] ?? []);
  const me = () => chatState().me;
  const canManage = () => props.room.kind !== "dm" && (props.room.role === "owner" || me()?.isAdmin === true);

  const remove = async (member: Member) => {
    const roomId = props.room.id;
    try {
      await call(api.rooms({ id: roomId }).members({ userId: member.id }).delete());
      await loadMembers(roomId);
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setRemoving(null);
    }
  };

  // Banned: removed, and kept out of the room (no rejoining, no adding back) until the ban is lifted.
  const ban = async (member: Member) => {
    const roomId = props.room.id;
    try {
      await call(api.rooms({ id: roomId }).bans.post({ userId: member.id }));
      showToast(t("members.banned", { name: displayNameOf(member) }));
      await loadMembers(roomId);
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setBanning(null);
    }
  };

  return (
    <Dialog title={t("members.title")} onClose={closeDialog}>
      <div class="dialog-scroll">
        <Show when={props.room.kind !== "dm" && !chatState().members[props.room.id]}>
          <p class="muted">{t("common.loading")}</p>
        </Show>
        <ul class="member-list">
          <For each={people()}>
            {(person) => (
              <li class="member-item">
                <span class="sidebar-dm-avatar">
                  <Avatar user={person} small />
                  <Show when={chatState().online[person.id] || person.id === me()?.id}>
                    <span class="presence-dot on-avatar" />
                  </Show>
                </span>
                <span class="member-names">
                  <span class="member-name">{displayNameOf(person)}{person.id === me()?.id ? ` ${t("members.you")}` : ""}</span>
                  <span class="muted small-text">@{person.username}</span>
                </span>
                <Show when={person.role === "owner"}>
                  <span class="tag accent">{t("members.owner")}</span>
                </Show>
                <Show when={person.id !== me()?.id}>
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={t("sidebar.messagePerson", { name: displayNameOf(person) })}
                    title={t("sidebar.messagePerson", { name: displayNameOf(person) })}
                    onClick={async () => {
                      if (await openDm([person.id], navigate)) closeDialog();
                    }}
                  >
                    <Icon name="message" />
                  </button>
                  <Show when={canManage()}>
                    <button type="button" class="icon-button" aria-label={t("members.remove", { name: displayNameOf(person) })} title={t("members.remove", { name: displayNameOf(person) })} onClick={() => setRemoving(person as Member)}>
                      <Icon name="door" />
                    </button>
                    <button type="button" class="icon-button" aria-label={t("members.ban", { name: displayNameOf(person) })} title={t("members.ban", { name: displayNameOf(person) })} onClick={() => setBanning(person as Member)}>
                      <Icon name="shield" />
                    </button>
                  </Show>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </div>
      <Show when={props.room.kind !== "dm"}>
        <div class="dialog-actions">
          <button type="button" class="button primary" onClick={() => openDialog("invite")}>
            <Icon name="userPlus" />
            {t("members.invite")}
          </button>
        </div>
      </Show>
      <Show when={banning()}>
        {(member) => (
          <ConfirmDialog
            title={t("members.banTitle")}
            text={t("members.banText", { name: displayNameOf(member()), room: roomRef(props.room) })}
            confirm={t("members.banConfirm")}
            danger
            onConfirm={() => ban(member())}
            onCancel={() => setBanning(null)}
          />
        )}
      </Show>
      <Show when={removing()}>
        {(member) => (
          <ConfirmDialog
            title={t("members.removeTitle")}
            text={t("members.removeText", { name: displayNameOf(member()), room: roomRef(props.room) })}
            confirm={t("members.removeConfirm")}
            danger
            onConfirm={() => remove(member())}
            onCancel={() => setRemoving(null)}
          />
        )}
      </Show>
    </Dialog>
  );
}
