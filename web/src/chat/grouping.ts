// Turns a room's timeline into what the message list draws: day dividers, the unread divider, and
// runs of consecutive messages by the same author on the same day (a new run after a long pause).

export interface GroupableMessage {
  /** Server id, or null while the message is still pending. */
  id: number | null;
  key: string;
  authorId: number;
  createdAt: number;
  /** A system line: stands alone, never in an author's run. */
  system?: boolean;
}

export type TimelineRow<M extends GroupableMessage> =
  | { kind: "day"; key: string; day: number }
  | { kind: "unread"; key: string }
  | { kind: "group"; key: string; authorId: number; messages: M[] };

/** Within one author's run, a pause longer than this starts a new group with a fresh header. */
export const GROUP_GAP_MS = 10 * 60 * 1000;

/** Local midnight of a timestamp: days follow the reader's clock, not UTC. */
export function dayOf(timestamp: number): number {
  const date = new Date(timestamp);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/**
 * `lastReadId`: the unread divider goes before the first message with a greater id that someone
 * else wrote. `me` is the reader, whose own messages never count as unread.
 */
export function groupTimeline<M extends GroupableMessage>(
  messages: readonly M[],
  options: { lastReadId: number | null; me: number },
): TimelineRow<M>[] {
  const rows: TimelineRow<M>[] = [];
  let current: Extract<TimelineRow<M>, { kind: "group" }> | null = null;
  let day: number | null = null;
  let unreadPlaced = options.lastReadId === null;
  let previous: M | null = null;

  for (const message of messages) {
    const messageDay = dayOf(message.createdAt);
    if (messageDay !== day) {
      day = messageDay;
      rows.push({ kind: "day", key: `day-${messageDay}`, day: messageDay });
      current = null;
    }
    if (
      !unreadPlaced &&
      message.id !== null &&
      message.id > options.lastReadId! &&
      message.authorId !== options.me
    ) {
      unreadPlaced = true;
      rows.push({ kind: "unread", key: "unread" });
      current = null;
    }
    const continues =
      current !== null &&
      current.authorId === message.authorId &&
      previous !== null &&
      !message.system &&
      !previous.system &&
      message.createdAt - previous.createdAt <= GROUP_GAP_MS;
    if (!continues) {
      current = { kind: "group", key: `group-${message.key}`, authorId: message.authorId, messages: [] };
      rows.push(current);
    }
    current!.messages.push(message);
    previous = message;
  }
  return rows;
}

/** What to draw before and around each message, keyed by message key. */
export interface MessageMark {
  /** Local midnight when a day divider goes before this message. */
  day: number | null;
  /** The unread divider goes before this message. */
  unread: boolean;
  /** First of its group: show avatar, name and time. */
  first: boolean;
}

/** groupTimeline as a per-message lookup, so the list can key its rows by message (no redraws). */
export function timelineMarks<M extends GroupableMessage>(
  messages: readonly M[],
  options: { lastReadId: number | null; me: number },
): Map<string, MessageMark> {
  const marks = new Map<string, MessageMark>();
  let day: number | null = null;
  let unread = false;
  for (const row of groupTimeline(messages, options)) {
    if (row.kind === "day") day = row.day;
    else if (row.kind === "unread") unread = true;
    else {
      row.messages.forEach((message, index) => {
        marks.set(message.key, { day: index === 0 ? day : null, unread: index === 0 && unread, first: index === 0 });
      });
      day = null;
      unread = false;
    }
  }
  return marks;
}
