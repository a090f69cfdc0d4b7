// Reporting a message and handling the report, in real Chromium against the compiled binary: a
// member reports a message with a reason; the admin finds it in the dashboard with the messages
// around it, deletes it, and it disappears from the member's screen. Each test starts its own
// server (stage.ts); the server's first account is its admin.
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { bodies, expectAccessible, expectText, send, openMessageMenu } from "./web-helpers.ts";

const current = stagePerTest();

test("a member reports a message; the admin sees it in context in the dashboard and deletes it", async () => {
  const stage = current();
  const admin = await stage.person("alice", { path: "/dashboard?tab=server" });
  const bob = await stage.person("bob");
  const mallory = await stage.person("mallory");
  await stage.room(bob, "general", [mallory], "public");
  await send(bob.page, "Good morning everyone");
  await send(mallory.page, "Something nasty");
  await send(bob.page, "Please stop");
  await expectText(bodies(bob.page).last(), "Please stop");

  const nasty = bob.page.locator("article.message", { hasText: "Something nasty" });
  await (await openMessageMenu(nasty)).getByRole("menuitem", { name: "Report to the admins" }).click();
  const dialog = bob.page.getByRole("dialog", { name: "Report this message" });
  await expectAccessible(bob.page, "report dialog");
  await dialog.getByLabel("Why are you reporting it?").fill("Insults a colleague");
  await dialog.getByRole("button", { name: "Send report" }).click();
  await expectText(bob.page.locator(".toast").last(), "Report sent to the administrators.");
  // Nobody may report their own message: it is not offered.
  const own = await openMessageMenu(bob.page.locator("article.message", { hasText: "Please stop" }));
  await own.getByRole("menuitem", { name: "Copy text" }).waitFor();
  expect(await own.getByRole("menuitem", { name: "Report to the admins" }).count()).toBe(0);
  await bob.page.keyboard.press("Escape");

  await admin.page.reload();
  const report = admin.page.getByTestId("report").first();
  await expectText(report, /Insults a colleague/);
  await expectText(report, /Reported by bob in general/);
  const context = report.getByRole("list", { name: "The message in context" });
  await expectText(context, /Good morning everyone[\s\S]*Something nasty[\s\S]*Please stop/);
  await expectText(report.locator("[aria-current=true]"), /Something nasty/);
  await expectAccessible(admin.page, "reports in the dashboard");
  await report.getByRole("button", { name: "Delete the message" }).click();
  await expectText(admin.page.locator(".toast").last(), "Message deleted.");
  await expectText(admin.page.getByTestId("reports"), /No reports\./);

  await bob.page.locator(".message-body", { hasText: "Something nasty" }).waitFor({ state: "detached" });
  await mallory.page.locator(".message-body", { hasText: "Something nasty" }).waitFor({ state: "detached" });
  // The audit log in the dashboard shows what happened, in words (its list of actions is read on load).
  await admin.page.reload();
  await admin.page.getByLabel("Action").selectOption({ label: "Report resolved" });
  await admin.page.getByTestId("audit").getByRole("cell", { name: "Report resolved", exact: true }).first().waitFor();
  expect(await admin.page.getByTestId("audit").getByRole("cell", { name: "report_resolved" }).count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, 120_000);

test("a room's owner sets disappearing messages and bans a member, who loses the room and cannot rejoin", async () => {
  const stage = current();
  await stage.person("admin");
  const owner = await stage.person("olivia");
  const member = await stage.person("max");
  const room = await stage.room(owner, "quiet corner", [member], "public");

  await owner.page.getByRole("button", { name: "Room settings" }).click();
  const settings = owner.page.getByRole("dialog", { name: "Room settings" });
  await expectText(settings.getByRole("status"), "Messages are kept until deleted.");
  await settings.getByLabel("Disappearing messages: delete each after (hours)").fill("24");
  await settings.getByRole("button", { name: "Save retention" }).click();
  // Shorter than before (forever): asked first, saying what goes (issue 19).
  const confirm = owner.page.getByRole("dialog", { name: "Delete older messages in this room?" });
  await expectText(confirm.locator("p"), "Messages older than 24 hours will be deleted in this room, and from now on each message that long after it is sent. This cannot be undone.");
  await confirm.getByRole("button", { name: "Delete and save" }).click();
  await expectText(owner.page.locator(".toast").last(), "Retention saved.");
  await expectText(settings.getByRole("status"), "Messages disappear 24\u00a0h after they are sent.");
  await expectAccessible(owner.page, "room settings with retention");
  await settings.getByRole("button", { name: "Close" }).click();

  await owner.page.getByRole("button", { name: /members/ }).click();
  await owner.page.getByRole("button", { name: "Ban max from this room" }).click();
  await owner.page.getByRole("dialog", { name: "Ban this person?" }).getByRole("button", { name: "Ban" }).click();
  await expectText(owner.page.locator(".toast").last(), "max was banned from this room.");
  // The banned member's page forgets the room at once.
  await member.page.locator(".conversation-name", { hasText: "quiet corner" }).waitFor({ state: "detached" });
  const rejoin = await fetch(`${stage.url}/api/rooms/${room.id}/join`, {
    method: "POST",
    headers: { origin: stage.url, cookie: member.cookie },
    tls: { rejectUnauthorized: false },
  } as RequestInit);
  expect(rejoin.status).toBe(403);
  expect(((await rejoin.json()) as { error: string }).error).toBe("banned_from_room");
  expect(stage.problems()).toEqual([]);
}, 120_000);
