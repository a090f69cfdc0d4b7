// Opening a DM from anywhere (the online list, a member list, the new-DM dialog): the server
// returns the one existing conversation or creates it; then we go there.
import { api, call } from "../api/http.ts";
import { dispatch } from "../stores/chat.ts";
import { showToast } from "../stores/toast.ts";
import { errorText } from "../i18n/errors.ts";

export async function openDm(userIds: number[], navigate: (path: string) => void): Promise<boolean> {
  try {
    const { room } = await call(api.dms.post({ userIds }));
    dispatch({ type: "local.room", room });
    navigate(`/chat/${room.id}`);
    return true;
  } catch (error) {
    showToast(errorText(error), "error");
    return false;
  }
}
