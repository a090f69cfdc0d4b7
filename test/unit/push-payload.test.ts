// What a push shows of a message (src/push/payload.ts): the first NOTIFICATION_PREVIEW_LENGTH
// characters on one line, cut with "…" only when there is more; a file without caption, its name.
import { expect, test } from "bun:test";
import { NOTIFICATION_PREVIEW_LENGTH, type Message } from "../../src/protocol.ts";
import { previewText } from "../../src/push/payload.ts";

const message = (body: string, attachmentName?: string): Message =>
  ({
    id: 1,
    roomId: 1,
    author: { id: 1, username: "alice", displayName: null },
    clientId: "c",
    body,
    createdAt: 0,
    mentions: [],
    ...(attachmentName ? { attachment: { id: "f", name: attachmentName, size: 1, type: "text/plain" } } : {}),
  }) as Message;

test("a text of exactly the preview's length is shown whole; one character more is cut with an ellipsis", () => {
  const exact = "é".repeat(NOTIFICATION_PREVIEW_LENGTH);
  expect(previewText(message(exact))).toBe(exact);
  const longer = `${exact}x`;
  const cut = previewText(message(longer));
  expect([...cut]).toHaveLength(NOTIFICATION_PREVIEW_LENGTH);
  expect(cut.endsWith("…")).toBe(true);
});

test("runs of spaces and line breaks become one space; a file without caption shows its name", () => {
  expect(previewText(message("  two\n\nlines \t here "))).toBe("two lines here");
  expect(previewText(message("", "report.pdf"))).toBe("report.pdf");
});
