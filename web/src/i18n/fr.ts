// Français : mêmes clés que en.ts (le type Messages l'impose à la compilation), un fichier par domaine (./fr/).
import type { Messages } from "./en.ts";
import { common } from "./fr/common.ts";
import { messages } from "./fr/messages.ts";
import { rooms } from "./fr/rooms.ts";
import { account } from "./fr/account.ts";
import { admin } from "./fr/admin.ts";
import { errors } from "./fr/errors.ts";

export const fr: Messages = { ...common, ...messages, ...rooms, ...account, ...admin, ...errors };
