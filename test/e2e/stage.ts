// The starting state of one browser test: a fresh compiled binary (its own data, so no test sees
// another's users, rooms or settings) and people logged in through the API, each in a browser context
// of their own with the session cookie already set. A test sets up only what its journey is not
// about; what it is about goes through the interface. stop() ends the server and every context.
import { afterAll, afterEach, beforeAll, beforeEach } from "bun:test";
import type { Browser } from "playwright-core";
import { SESSION_COOKIE } from "../../src/accounts/session-tokens.ts";
import type { Room } from "../../src/protocol.ts";
import { startBinary, type RunningBinary } from "../support/binary.ts";
import { launchBrowser, newPerson, watchedPage } from "../support/browser.ts";
import { callApi, PASSWORD, problemsOf, type Person } from "./web-helpers.ts";

/** Someone registered through the API, with their session cookie and a page. */
export interface Member extends Person {
  id: number;
  cookie: string;
}

export interface Stage {
  server: RunningBinary;
  url: string;
  /** Registers `username` through the API (the server's first account is its admin) and opens /chat for them. */
  person(username: string, options?: PersonOptions): Promise<Member>;
  /** A browser with nobody logged in. */
  visitor(options?: { viewport?: { width: number; height: number }; touch?: boolean; locale?: string }): Promise<Person>;
  /** An API call as `person` (or nobody); fails the test unless it succeeded. */
  call<T>(person: { cookie: string } | null, method: string, path: string, body?: unknown): Promise<T>;
  /** A room made through the API by `owner`, with `members` in it, open on each person's page. */
  room(owner: Member, name: string, members?: Member[], kind?: "public" | "private"): Promise<Room>;
  /** Console errors, page errors and CSP violations of every page of this stage, labelled by person. */
  problems(): string[];
  stop(): Promise<void>;
}

export interface PersonOptions {
  displayName?: string;
  viewport?: { width: number; height: number };
  /** A phone's touch screen (no hover, coarse pointer). */
  touch?: boolean;
  /** The browser's language (default en-US). */
  locale?: string;
  /** Where to open the first page (default /chat). */
  path?: string;
  /** The first account: leave the first-run setup to do in the browser (by default it is done through the API, registration kept open). */
  firstRun?: boolean;
}

export async function openStage(browser: Browser, options: { args?: string[] } = {}): Promise<Stage> {
  const server = await startBinary(options);
  const people: Person[] = [];

  const call = async <T>(person: { cookie: string } | null, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await callApi(server.url, person?.cookie ?? null, method, path, body === undefined ? undefined : JSON.stringify(body));
    return (response.status === 204 ? undefined : await response.json()) as T;
  };

  const open = async (cookie: string | null, label: string, opts: PersonOptions = {}) => {
    const context = await newPerson(browser, { viewport: opts.viewport, touch: opts.touch, locale: opts.locale });
    if (cookie) {
      const [name, value] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
      await context.addCookies([{ name, value, url: server.url, secure: true, httpOnly: true, sameSite: "Strict" }]);
    }
    const { page, problems } = await watchedPage(context);
    const person: Person = { context, page, problems, username: label };
    people.push(person);
    return person;
  };

  return {
    server,
    url: server.url,
    call,
    async person(username, opts = {}) {
      const response = await callApi(server.url, null, "POST", "/api/auth/register", JSON.stringify({ username, password: PASSWORD, displayName: opts.displayName }));
      const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
      const { user } = (await response.json()) as { user: { id: number; isAdmin: boolean } };
      if (user.isAdmin && !opts.firstRun) await callApi(server.url, cookie, "POST", "/api/admin/setup", JSON.stringify({ registrationMode: "open", createGeneral: false }));
      const person: Member = { ...(await open(cookie, username, opts)), cookie, id: user.id };
      await person.page.goto(server.url + (opts.path ?? "/chat"));
      // Attached, not visible: on a phone the user menu sits in the closed drawer.
      await person.page.locator(opts.path?.startsWith("/dashboard") ? "main h1" : ".user-menu").first().waitFor({ state: "attached" });
      return person;
    },
    visitor: (opts) => open(null, "visitor", opts),
    async room(owner, name, members = [], kind = "private") {
      const { room, requested } = await call<{ room: Room; requested: number[] }>(owner, "POST", "/api/rooms", { kind, name, members: members.map((m) => m.id) });
      // People who had never talked to the owner were asked (issue 21 §4): they accept, as they would.
      for (const person of members) if (requested.includes(person.id)) await call(person, "POST", `/api/requests/${room.id}/accept`);
      for (const person of [owner, ...members]) {
        await person.page.goto(`${server.url}/chat/${room.id}`);
        await person.page.locator(".conversation-name", { hasText: name }).waitFor();
      }
      return room;
    },
    problems: () => people.flatMap((person) => problemsOf(person).map((problem) => `${person.username}: ${problem}`)),
    async stop() {
      await Promise.all(people.map((person) => person.context.close().catch(() => undefined)));
      await server.stop();
    },
  };
}

/**
 * One Chromium for the test file and a fresh stage for every test: call at the top of a file, then
 * `const stage = current()` inside each test. Tests share nothing but the browser process.
 */
export function stagePerTest(options: { args?: string[] } = {}): () => Stage {
  let browser: Browser | undefined;
  let stage: Stage | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    stage = await openStage(browser!, options);
  }, 30_000);
  afterEach(async () => {
    await stage?.stop();
    stage = undefined;
  });
  return () => stage!;
}
