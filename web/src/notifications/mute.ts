// The mute choices of the bell menu, as the time each one ends (computed in my own time zone).
import { FOREVER } from "../chat/protocol.ts";

export type MuteChoice = "1h" | "8h" | "tomorrow" | "forever";
export const MUTE_CHOICES: readonly MuteChoice[] = ["1h", "8h", "tomorrow", "forever"];

/** "Until tomorrow" ends at 8:00 tomorrow, local time. */
export function muteUntil(choice: MuteChoice, now = new Date()): number {
  switch (choice) {
    case "1h":
      return now.getTime() + 3_600_000;
    case "8h":
      return now.getTime() + 8 * 3_600_000;
    case "tomorrow": {
      const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 8, 0, 0, 0);
      return next.getTime();
    }
    case "forever":
      return FOREVER;
  }
}
