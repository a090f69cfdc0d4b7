// What a system line says, in the reader's language, with names as the accounts show them now.
import type { Message } from "./protocol.ts";
import { t } from "../i18n/index.ts";

export function systemLineText(message: Message, name: (user: Message["author"]) => string): string {
  const line = message.event!;
  const author = name(message.author);
  switch (line.kind) {
    case "joined":
      return t("system.joined", { name: author });
    case "left":
      return t("system.left", { name: author });
    case "added":
      return t("system.added", { name: author, user: name(line.user) });
    case "removed":
      return t("system.removed", { name: author, user: name(line.user) });
    case "renamed":
      return t("system.renamed", { name: author, room: line.name });
    case "topic":
      return line.topic ? t("system.topic", { name: author, topic: line.topic }) : t("system.topicCleared", { name: author });
  }
}
