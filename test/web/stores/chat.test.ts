// The chat store (web/src/stores/chat.ts) resending messages, driven through its real socket against
// a real WebSocket server: a message whose answer was lost with the connection goes out again with the
// same clientId after the reconnect, messages typed while disconnected go out in the order typed, and
// a refused message is marked failed until Retry sends it again. Each test logs in and out by itself.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { createEffect, createRoot } from "solid-js";
import type { Message } from "../../../src/protocol.ts";
import { answerPingsAndSyncs, ME, startProtocolServer, type Answer, type Connection } from "../api/protocol-server.ts";

const ROOM = 5;
const fake = startProtocolServer({
  rooms: [
    {
      id: ROOM, kind: "public", name: "lobby", topic: "", createdBy: ME.id, createdAt: 0, archivedAt: null, participants: [],
      memberCount: 1, role: "owner", lastMessageId: 0, lastMessageAt: null, lastReadId: 0, unread: 0, mentions: 0, notify: { level: null, mutedUntil: null }, pinPolicy: "members",
    },
  ],
  http: (request) =>
    new URL(request.url).pathname === "/api/presence" ? Response.json({ online: [ME.id] }) : new Response("not found", { status: 404 }),
});

// The store is written for a browser tab: give it one (location decides where the socket connects
// and where HTTP calls go, so it is set before the store's modules load).
const tab = new Window({ url: `${fake.origin}/chat` });
const globals = globalThis as Record<string, unknown>;
const saved = Object.fromEntries(["window", "document", "location", "sessionStorage"].map((name) => [name, globals[name]]));
Object.assign(globals, { window: tab, document: tab.document, location: new URL(`${fake.origin}/chat`), sessionStorage: tab.sessionStorage });
const { chatState, connection: status, startChatWithSession } = await import("../../../web/src/stores/chat.ts");
const { postMessage, retryMessage } = await import("../../../web/src/stores/chat-actions.ts");
const { signedIn, signedOut } = await import("../../../web/src/stores/session.ts");

beforeAll(() => startChatWithSession());
afterEach(() => {
  signedOut();
  fake.answer = answerPingsAndSyncs;
});
afterAll(() => {
  fake.stop();
  Object.assign(globals, saved);
});

/** Resolves once read() holds; it is re-run whenever the chat state it reads changes. */
function until(read: () => boolean): Promise<void> {
  return new Promise((resolve) =>
    createRoot((dispose) =>
      createEffect(() => {
        if (!read()) return;
        dispose();
        resolve();
      }),
    ),
  );
}

/** Logs in; resolves with this login's first connection once the store has its `ready`. */
async function logIn(): Promise<Connection> {
  const index = fake.connections.length;
  signedIn({ ...ME, disabled: false, createdAt: 0, lastSeenAt: null, mustChangePassword: false });
  const connection = await fake.connection(index);
  await until(() => chatState().rooms[ROOM] !== undefined);
  return connection;
}

function stored(frame: { clientId: string; body: string }, id: number): Message {
  return { id, roomId: ROOM, author: { id: ME.id, username: ME.username, displayName: null }, clientId: frame.clientId, body: frame.body, createdAt: id, mentions: [] };
}

/**
 * Answers posts as the server does, or as `post` says; pings and syncs as usual: a new message goes
 * to the room (`message.created`, ids in arrival order), then its ack names it; a resent clientId
 * is acked with the message stored the first time, and nothing goes to the room.
 */
function answering(post: (connection: Connection, frame: Extract<Parameters<Answer>[1], { type: "message.post" }>) => boolean = () => false): Answer {
  let nextId = 0;
  const byClientId = new Map<string, Message>();
  return (connection, frame) => {
    if (frame.type !== "message.post") return answerPingsAndSyncs(connection, frame);
    if (post(connection, frame)) return;
    const known = byClientId.get(frame.clientId);
    if (known) return connection.ack(frame, { messageId: known.id, createdAt: known.createdAt, duplicate: true, message: known });
    const message = stored(frame, ++nextId);
    byClientId.set(frame.clientId, message);
    connection.send({ type: "message.created", message });
    connection.ack(frame, { messageId: message.id, createdAt: message.createdAt, duplicate: false });
  };
}

test("a message whose answer was lost with the connection goes out again after the reconnect, same clientId, once", async () => {
  const first = await logIn();
  // The first connection dies before it can answer the post.
  fake.answer = answering((connection) => {
    if (connection !== first) return false;
    connection.close(1011);
    return true;
  });
  postMessage(ROOM, "hello");
  const sent = await fake.frame(first, "message.post");
  const second = await fake.connection(first.index + 1);
  const resent = await fake.frame(second, "message.post");
  expect({ clientId: resent.clientId, body: resent.body }).toEqual({ clientId: sent.clientId, body: "hello" });
  await until(() => chatState().pending.length === 0);
  expect(chatState().rooms[ROOM]!.lastMessageId).toBe(1);
  expect(second.frames.filter((f) => f.type === "message.post")).toHaveLength(1);
});

test("messages typed while disconnected wait, and go out in the order typed once connected again", async () => {
  const first = await logIn();
  fake.answer = answering();
  // The next attempt is refused, so the tab stays disconnected for a moment.
  fake.refuseUpgrades(1);
  first.close(1011);
  await until(() => status() === "reconnecting");
  for (const body of ["one", "two", "three"]) postMessage(ROOM, body);
  expect(chatState().pending.map((p) => [p.body, p.status])).toEqual([["one", "sending"], ["two", "sending"], ["three", "sending"]]);
  expect(first.frames.filter((f) => f.type === "message.post")).toEqual([]);

  const second = await fake.connection(first.index + 1);
  await fake.until(() => second.frames.filter((f) => f.type === "message.post").length === 3 || undefined);
  expect(second.frames.flatMap((f) => (f.type === "message.post" ? [f.body] : []))).toEqual(["one", "two", "three"]);
  await until(() => chatState().pending.length === 0);
});

test("a message the server refuses is marked failed with the reason, and Retry sends it again with the same clientId", async () => {
  const connection = await logIn();
  let refused = false;
  fake.answer = answering((c, frame) => {
    if (refused) return false;
    refused = true;
    c.send({ type: "error", code: "rate_limited", message: "Slow down.", requestId: frame.requestId, retryAfterMs: 3000 });
    return true;
  });
  postMessage(ROOM, "too fast");
  await until(() => chatState().pending[0]?.status === "failed");
  expect(chatState().pending[0]!.error).toBe("Too many attempts. Try again in 3 seconds.");

  retryMessage(chatState().pending[0]!.clientId);
  await until(() => chatState().pending.length === 0);
  const posts = connection.frames.filter((f) => f.type === "message.post");
  expect(posts).toHaveLength(2);
  expect(posts[1]!.clientId).toBe(posts[0]!.clientId);
});

test("a message stored before the connection dropped comes back in the resend's ack (a duplicate) and takes its pending copy's place", async () => {
  const first = await logIn();
  let kept: Message | null = null;
  fake.answer = (connection, frame) => {
    if (frame.type !== "message.post") return answerPingsAndSyncs(connection, frame);
    if (kept === null) {
      // Stored, then the connection died before message.created or the ack could leave.
      kept = stored(frame, 41);
      connection.close(1011);
      return;
    }
    connection.ack(frame, { messageId: kept.id, createdAt: kept.createdAt, duplicate: true, message: kept });
  };
  postMessage(ROOM, "stored once");
  const second = await fake.connection(first.index + 1);
  const resent = await fake.frame(second, "message.post");
  expect(resent.clientId).toBe(kept!.clientId);
  await until(() => chatState().pending.length === 0);
  expect(chatState().rooms[ROOM]!.lastMessageId).toBe(41);
});

test("an ack that overtakes its message.created (a cluster node waiting for an earlier batch) leaves the pending copy until the message comes", async () => {
  const connection = await logIn();
  let posted: Message | null = null;
  fake.answer = (c, frame) => {
    if (frame.type !== "message.post") return answerPingsAndSyncs(c, frame);
    posted = stored(frame, 7);
    c.ack(frame, { messageId: posted.id, createdAt: posted.createdAt, duplicate: false });
  };
  postMessage(ROOM, "ack first");
  await fake.frame(connection, "message.post");
  // Frames are handled in order: once this one shows, the ack before it has been handled too.
  connection.send({ type: "presence.changed", online: [99], offline: [] });
  await until(() => chatState().online[99] === true);
  expect(chatState().pending.map((p) => [p.body, p.status])).toEqual([["ack first", "sending"]]);
  connection.send({ type: "message.created", message: posted! });
  await until(() => chatState().pending.length === 0);
  expect(chatState().rooms[ROOM]!.lastMessageId).toBe(7);
});
