// One shape for the list: a stored message or a pending one of mine, with a stable key.
import type { Attachment, Message, QuotedMessage, UserRef } from "./protocol.ts";
import type { PendingMessage } from "./state-types.ts";

export interface DisplayMessage {
  key: string;
  id: number | null;
  authorId: number;
  author: UserRef;
  body: string;
  createdAt: number;
  editedAt: number | null;
  pending: PendingMessage | null;
  /** The files shared with it, in the order sent (components/FilePreview.tsx); [] for none. */
  attachments: Attachment[];
  /** The stored message (reactions, thread, pin, system line); null while pending. */
  stored: Message | null;
  quote: QuotedMessage | null;
  system?: boolean;
  /** Who the server found mentioned (none while pending). */
  mentions: number[];
}

const stored = new WeakMap<Message, DisplayMessage>();
const pendings = new WeakMap<PendingMessage, DisplayMessage>();

/** Cached per object, so an unchanged message keeps the same row in the list. */
export function fromMessage(message: Message): DisplayMessage {
  let display = stored.get(message);
  if (!display) {
    display = {
      key: `m${message.id}`,
      id: message.id,
      authorId: message.author.id,
      author: message.author,
      body: message.body,
      createdAt: message.createdAt,
      editedAt: message.editedAt ?? null,
      pending: null,
      attachments: message.attachments ?? (message.attachment ? [message.attachment] : []),
      stored: message,
      quote: message.quote ?? null,
      ...(message.event ? { system: true } : {}),
      mentions: message.mentions ?? [],
    };
    stored.set(message, display);
  }
  return display;
}

export function fromPending(pending: PendingMessage, me: UserRef): DisplayMessage {
  let display = pendings.get(pending);
  if (!display) {
    display = {
      key: `p${pending.clientId}`,
      id: null,
      authorId: me.id,
      author: me,
      body: pending.body,
      createdAt: pending.createdAt,
      editedAt: null,
      pending,
      attachments: [],
      stored: null,
      quote: pending.quote ?? null,
      mentions: [],
    };
    pendings.set(pending, display);
  }
  return display;
}
