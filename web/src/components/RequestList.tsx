// Invitations waiting for my answer (issue 21 §4): someone I have never talked to added me to a room
// or opened a DM with me. Until I accept, I see this card and not the room: Accept joins it (and
// opens it), Decline drops it, "Decline and block" also stops that person from inviting me again.
import { createSignal, For, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { api, call } from "../api/http.ts";
import type { RoomRequest } from "../chat/protocol.ts";
import { t } from "../i18n/index.ts";
import { chatState, dispatch, failure } from "../stores/chat.ts";
import { roomRef } from "../chat/rooms.ts";
import { shownName } from "../stores/names.ts";
import { showToast } from "../stores/toast.ts";
import { setDrawerOpen } from "../stores/ui.ts";

/** What the invitation is to, in words: "#lobby", "plans" (private) or "a conversation with Bob and Carol". */
export function requestSubject(request: RoomRequest, meId: number | undefined): string {
  if (request.kind !== "dm") return roomRef({ name: request.name, kind: request.kind });
  const others = request.participants.filter((p) => p.id !== meId && p.id !== request.invitedBy.id).map(shownName);
  return others.length === 0 ? t("requests.dm") : t("requests.groupDm", { names: others.join(", ") });
}

function RequestCard(props: { request: RoomRequest }) {
  const navigate = useNavigate();
  const [busy, setBusy] = createSignal(false);
  const subject = () => requestSubject(props.request, chatState().me?.id);
  const headingId = () => `request-${props.request.roomId}`;
  const act = async (answer: "accept" | "decline" | "block") => {
    if (busy()) return;
    setBusy(true);
    const roomId = props.request.roomId;
    try {
      if (answer === "accept") {
        const { room } = await call(api.requests({ id: roomId }).accept.post());
        dispatch({ type: "local.room", room });
        setDrawerOpen(false);
        navigate(`/chat/${room.id}`);
      } else {
        await call(api.requests({ id: roomId }).decline.post({ block: answer === "block" }));
        dispatch({ type: "request.removed", roomId, reason: "declined" });
      }
    } catch (error) {
      showToast(failure(error), "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="request-card" aria-labelledby={headingId()}>
      <p class="request-text" id={headingId()}>
        {t("requests.invitedYou", { name: shownName(props.request.invitedBy), subject: subject() })}
      </p>
      <div class="request-actions">
        <button type="button" class="button small primary" disabled={busy()} onClick={() => void act("accept")}>
          {t("requests.accept")}
        </button>
        <button type="button" class="button small" disabled={busy()} onClick={() => void act("decline")}>
          {t("requests.decline")}
        </button>
        <button
          type="button"
          class="button small"
          disabled={busy()}
          aria-label={t("requests.blockLabel", { name: shownName(props.request.invitedBy) })}
          onClick={() => void act("block")}
        >
          {t("requests.block")}
        </button>
      </div>
    </li>
  );
}

/** The sidebar's "Invitations" section; nothing at all when none wait. */
export function RequestList() {
  const requests = () => Object.values(chatState().requests).sort((a, b) => a.createdAt - b.createdAt || a.roomId - b.roomId);
  return (
    <Show when={requests().length > 0}>
      <section class="sidebar-section" aria-labelledby="sidebar-requests">
        <div class="sidebar-heading">
          <h2 id="sidebar-requests">{t("requests.title")}</h2>
          <span class="sidebar-count">{requests().length}</span>
        </div>
        <ul class="sidebar-list request-list" data-testid="requests">
          <For each={requests()}>{(request) => <RequestCard request={request} />}</For>
        </ul>
      </section>
    </Show>
  );
}
