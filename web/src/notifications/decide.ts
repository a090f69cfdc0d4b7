// Whether a message should alert me in this tab: the server's own rule (src/protocol/notify-rule.ts,
// which also decides Web Push), so a desktop notification and a push can never disagree.
export { decideNotification, effectiveLevel, type NotifyInput } from "../../../src/protocol/notify-rule.ts";

/** Muted now (a mute that has run out is no mute). */
export const isMuted = (mutedUntil: number | null, now = Date.now()) => mutedUntil !== null && mutedUntil > now;
