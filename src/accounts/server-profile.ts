// What a server says about itself (issue 19): its name, shown on the login page, in tab titles and
// on invitations, and whether its first administrator has been through the welcome setup. Both live
// in the settings table; the name is shown to strangers, so it is checked like a room name.
import { errors } from "../errors.ts";
import type { Conn, Tx } from "../db/store.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import { settings } from "./settings.ts";

export const MAX_SERVER_NAME_LENGTH = 60;
const NAME_KEY = "server_name";
const SETUP_KEY = "setup_completed";
const WELCOME_ROOM_KEY = "welcome_room";

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const DISGUISING = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

/** The name as it will be stored, or null to clear it (the interface then says "VaultRoom"). */
export function cleanServerName(raw: string | null): string | null {
  const name = (raw ?? "").trim();
  if (name === "") return null;
  if (!hasVisibleText(name) || [...name].length > MAX_SERVER_NAME_LENGTH || CONTROL.test(name) || !name.isWellFormed() || DISGUISING.test(name)) {
    throw errors.badRequest("invalid_request", `A server name is 1 to ${MAX_SERVER_NAME_LENGTH} visible characters on one line.`);
  }
  return name;
}

export const serverProfile = {
  name: (db: Conn) => settings.get(db, NAME_KEY),
  async setName(tx: Tx, name: string | null): Promise<void> {
    if (name === null) await settings.clear(tx, NAME_KEY);
    else await settings.set(tx, NAME_KEY, name);
  },
  setupCompleted: async (db: Conn) => (await settings.get(db, SETUP_KEY)) === "1",
  completeSetup: (tx: Tx) => settings.set(tx, SETUP_KEY, "1"),
  /** The public room every new account joins (the #general the setup made), or null. */
  async welcomeRoomId(db: Conn): Promise<number | null> {
    const value = await settings.get(db, WELCOME_ROOM_KEY);
    return value === null ? null : Number(value);
  },
  setWelcomeRoom: (tx: Tx, roomId: number) => settings.set(tx, WELCOME_ROOM_KEY, String(roomId)),
};
