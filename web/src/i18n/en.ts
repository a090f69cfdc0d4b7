// English: the reference catalogue, one file per area (./en/). Every other language has exactly
// these keys (checked by the compiler through the Messages type and by a unit test). `{name}`
// placeholders are filled as text.
import { common } from "./en/common.ts";
import { messages } from "./en/messages.ts";
import { rooms } from "./en/rooms.ts";
import { account } from "./en/account.ts";
import { admin } from "./en/admin.ts";
import { errors } from "./en/errors.ts";

export const en = { ...common, ...messages, ...rooms, ...account, ...admin, ...errors };

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
