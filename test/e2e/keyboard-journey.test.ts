// A whole first visit with the keyboard only (issue 19), in real Chromium against the compiled
// binary: from the home page to an account, through the first-run setup, a first message, joining
// a colleague's room and reacting there, a new room, the settings and out again — never a click, every control reached with Tab (or the arrows
// where a widget says so) and pressed with Enter or Space, and each one showing where the focus is.
import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { stagePerTest } from "./stage.ts";
import { bodies, eventually, expectText, PASSWORD } from "./web-helpers.ts";

const current = stagePerTest();

interface Focused {
  name: string;
  tag: string;
  /** A focus indicator is drawn: :focus-visible, and an outline or the border in the focus colour. */
  visible: boolean;
}

/** What has the focus: its accessible name as a screen reader would start to compute it. */
const focused = (page: Page) =>
  page.evaluate((): Focused => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { name: "", tag: "body", visible: false };
    const labelledBy = element.getAttribute("aria-labelledby");
    const name =
      element.getAttribute("aria-label") ??
      (labelledBy ? labelledBy.split(" ").map((id) => document.getElementById(id)?.textContent ?? "").join(" ") : null) ??
      ((element as HTMLInputElement).labels?.[0]?.textContent || null) ??
      element.textContent ??
      "";
    const style = getComputedStyle(element);
    // The theme's focus colour, resolved the way the border's is (rgb()).
    const probe = document.body.appendChild(document.createElement("span"));
    probe.style.color = "var(--focus)";
    const focusColour = getComputedStyle(probe).color;
    probe.remove();
    const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
      name: name.replace(/\s+/g, " ").trim(),
      tag: element.tagName.toLowerCase(),
      visible: element.matches(":focus-visible") && (outlined || style.borderColor === focusColour),
    };
  });

/** Presses Tab until the focus is on a control named `name`; fails if it is not reached in `most` presses. */
async function tabTo(page: Page, name: RegExp, most = 40): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (name.test(now.name)) {
      expect(now.visible).toBe(true);
      return now;
    }
    seen.push(`${now.tag}:${now.name.slice(0, 40)}`);
  }
  throw new Error(`${name} not reached in ${most} Tab presses; passed ${seen.join(" | ")}`);
}

test("a first visit with the keyboard only: register, set the server up, write, join a room and react, make a room, change my name, log out", async () => {
  const stage = current();
  const visitor = await stage.visitor();
  const page = visitor.page;
  await page.goto(stage.url);

  // The home page: to the registration form.
  await tabTo(page, /^Create an account$/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/register/);
  // The form's first field has the focus already (a sign-in page's purpose is its form).
  await page.locator("#register-username:focus").waitFor();
  expect((await focused(page)).name).toMatch(/^Username/);
  await page.keyboard.type("kit");
  await tabTo(page, /^Display name/);
  await page.keyboard.type("Kit Keys");
  await tabTo(page, /^Password$/);
  await page.keyboard.type(PASSWORD);
  // Enter in a field submits its form.
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/chat/);

  // The first account sets the server up: the dialog has the focus and keeps it.
  const setup = page.getByRole("dialog", { name: "Welcome to your new server" });
  await setup.waitFor();
  await tabTo(page, /^Server name/);
  await page.keyboard.type("Keys only");
  // A radio group is one stop; the arrows choose in it.
  await tabTo(page, /^Only people with an invite link/);
  await page.keyboard.press("ArrowDown");
  expect(await setup.getByRole("radio", { name: "Anyone who can reach this server" }).isChecked()).toBe(true);
  await tabTo(page, /^Finish setup$/);
  await page.keyboard.press("Enter");
  await setup.getByTestId("setup-invite-link").waitFor();
  await tabTo(page, /^Done$/);
  await page.keyboard.press("Enter");
  await setup.waitFor({ state: "detached" });
  await expectText(page.locator(".conversation-name"), "general");

  // A first message, from the skip link (the first stop on the page) to the field.
  await page.locator("body").focus();
  await tabTo(page, /^Skip to the message field$/, 3);
  await page.keyboard.press("Enter");
  await page.keyboard.type("Hello, written without a mouse");
  await page.keyboard.press("Enter");
  await expectText(bodies(page).last(), "Hello, written without a mouse");

  // A colleague (registration is open now) has a public room with a message in it: browse, join, react.
  const bob = await stage.person("bob");
  const lobby = await stage.room(bob, "lobby", [], "public");
  await stage.call(bob, "POST", `/api/rooms/${lobby.id}/messages`, { clientId: crypto.randomUUID(), body: "Welcome to the lobby" });
  await tabTo(page, /^Browse rooms$/);
  await page.keyboard.press("Enter");
  const browse = page.getByRole("dialog", { name: "Browse rooms" });
  await browse.waitFor();
  await tabTo(page, /^Search rooms/);
  await page.keyboard.type("lobby");
  await tabTo(page, /^Join/);
  await page.keyboard.press("Enter");
  await expectText(page.locator(".conversation-name"), "lobby");
  await expectText(bodies(page).last(), "Welcome to the lobby");
  // The message list is one stop: the arrows reach a message, Tab its actions.
  await tabTo(page, /^Messages in/);
  await page.keyboard.press("ArrowUp");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Welcome to the lobby");
  await tabTo(page, /^React with /, 3);
  await page.keyboard.press("Enter");
  await page.locator("article.message", { hasText: "Welcome to the lobby" }).locator(".reaction").first().waitFor();
  await page.keyboard.press("Escape");

  // A new room: the sidebar's button opens a dialog whose first field has the focus.
  await tabTo(page, /^New room$/);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Create a room" });
  await dialog.waitFor();
  expect((await focused(page)).name).toMatch(/^Name/);
  await page.keyboard.type("quiet-keys");
  await tabTo(page, /^Create room$/);
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  await expectText(page.locator(".conversation-name"), "quiet-keys");

  // The settings: the profile's display name, saved with Enter on its button.
  await tabTo(page, /^Settings$/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/dashboard/);
  // The new page starts at its heading (not <body>, where the link that was pressed left it).
  expect(await eventually(() => page.evaluate(() => document.activeElement?.tagName), (tag) => tag === "H1")).toBe("H1");
  await tabTo(page, /^Display name/);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("Kit the Keyboardist");
  await tabTo(page, /^Save$/);
  await page.keyboard.press("Space");
  await expectText(page.getByText("Profile saved."), "Profile saved.");
  const me = await page.evaluate(async () => ((await (await fetch("/api/me")).json()) as { user: { displayName: string } }).user.displayName);
  expect(me).toBe("Kit the Keyboardist");

  // And out: the session ends, and the chat is behind the login again.
  await tabTo(page, /^Log out$/, 80);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/login|\/$/);
  await page.goto(`${stage.url}/chat`);
  await page.waitForURL(/\/login/);
  // The login form is ready to type into.
  await page.locator("#login-username:focus").waitFor();
  expect(stage.problems()).toEqual([]);
}, 120_000);
