// Validating schemas for every request frame, each compiled once, at its first use. Unknown extra
// fields are ignored (a forged `author` is simply never read); the types below must match
// src/protocol.ts exactly, which the compiler checks.
import { t, type Static, type TSchema } from "elysia";
import { TypeCompiler, type TypeCheck } from "elysia/type-system";
import {
  MAX_EMOJI_LENGTH,
  MAX_ATTACHMENTS,
  MAX_MESSAGE_LENGTH,
  MAX_HISTORY_LIMIT,
  MAX_SYNC_ROOMS,
  type ClientRequest,
  type RequestType,
} from "../protocol.ts";

// Strict JSON integers: Elysia's t.Integer also accepts numeric strings, which frames must not send.
export const Id = t.Number({ multipleOf: 1, minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const Cursor = t.Number({ multipleOf: 1, minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const RequestId = t.Optional(t.String({ minLength: 1, maxLength: 64 }));
export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
export const ClientId = t.String({ pattern: UUID_PATTERN });
export const Body = t.String({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH });
/** Checked as one emoji by the domain (protocol/emoji.ts); the schema only bounds its size. */
export const Emoji = t.String({ minLength: 1, maxLength: MAX_EMOJI_LENGTH });
/** A message's text where files may stand in for it (a caption, or none): the domain decides. */
export const Caption = t.String({ maxLength: MAX_MESSAGE_LENGTH });
/** Ids of uploads to send with a message (files/ids.ts: 22 characters of base64url). */
export const UploadIds = t.Array(t.String({ pattern: "^[A-Za-z0-9_-]{22}$" }), { maxItems: MAX_ATTACHMENTS });

/** A new message's fields, the same on the socket (message.post) and over HTTP (POST /api/rooms/:id/messages). */
export const NewMessageFields = {
  clientId: ClientId,
  body: Caption,
  attachments: t.Optional(UploadIds),
  threadRootId: t.Optional(Id),
  alsoToRoom: t.Optional(t.Boolean()),
  quoteId: t.Optional(Id),
};

export const requestSchemas = {
  "message.post": t.Object({ type: t.Literal("message.post"), requestId: RequestId, roomId: Id, ...NewMessageFields }),
  "message.edit": t.Object({ type: t.Literal("message.edit"), requestId: RequestId, messageId: Id, body: Caption }),
  "message.delete": t.Object({ type: t.Literal("message.delete"), requestId: RequestId, messageId: Id }),
  "room.join": t.Object({ type: t.Literal("room.join"), requestId: RequestId, roomId: Id }),
  "room.leave": t.Object({ type: t.Literal("room.leave"), requestId: RequestId, roomId: Id }),
  "typing.start": t.Object({ type: t.Literal("typing.start"), requestId: RequestId, roomId: Id }),
  "read.mark": t.Object({ type: t.Literal("read.mark"), requestId: RequestId, roomId: Id, messageId: Cursor }),
  sync: t.Object({
    type: t.Literal("sync"),
    requestId: RequestId,
    rooms: t.Array(t.Object({ roomId: Id, lastId: Cursor }), { maxItems: MAX_SYNC_ROOMS }),
    since: t.Optional(Cursor),
  }),
  history: t.Object({
    type: t.Literal("history"),
    requestId: RequestId,
    roomId: Id,
    before: t.Optional(Id),
    after: t.Optional(Cursor),
    around: t.Optional(Id),
    threadRootId: t.Optional(Id),
    limit: t.Optional(t.Number({ multipleOf: 1, minimum: 1, maximum: MAX_HISTORY_LIMIT })),
  }),
  ping: t.Object({ type: t.Literal("ping"), requestId: RequestId }),
  "reaction.add": t.Object({ type: t.Literal("reaction.add"), requestId: RequestId, messageId: Id, emoji: Emoji }),
  "reaction.remove": t.Object({ type: t.Literal("reaction.remove"), requestId: RequestId, messageId: Id, emoji: Emoji }),
  "message.pin": t.Object({ type: t.Literal("message.pin"), requestId: RequestId, messageId: Id }),
  "message.unpin": t.Object({ type: t.Literal("message.unpin"), requestId: RequestId, messageId: Id }),
  "thread.read": t.Object({ type: t.Literal("thread.read"), requestId: RequestId, threadRootId: Id, messageId: t.Optional(Cursor) }),
  "client.visibility": t.Object({ type: t.Literal("client.visibility"), requestId: RequestId, visible: t.Boolean() }),
} satisfies Record<RequestType, TSchema>;

type Schemas = typeof requestSchemas;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when a schema and its protocol type drift apart.
const schemasMatchProtocol: Same<{ [K in RequestType]: Static<Schemas[K]> }, { [K in RequestType]: Extract<ClientRequest, { type: K }> }> = true;
void schemasMatchProtocol;

/** Every request type the socket accepts. */
export const requestTypes = Object.keys(requestSchemas) as RequestType[];

// Each validator is compiled the first time its frame type arrives, not at start: compiling all of
// them took ~15–20 ms of every start, on the event loop, before the server listened.
const compiled = new Map<RequestType, TypeCheck<TSchema>>();

/** The compiled validator of one request type. */
export function requestValidator<K extends RequestType>(type: K): TypeCheck<Schemas[K]> {
  let check = compiled.get(type);
  if (!check) {
    check = TypeCompiler.Compile(requestSchemas[type] as TSchema);
    compiled.set(type, check);
  }
  return check as TypeCheck<Schemas[K]>;
}

export function isRequestType(type: string): type is RequestType {
  return Object.hasOwn(requestSchemas, type);
}

/** The first problem with a frame, in words that name the field but never echo the schema. */
export function describeInvalid(type: RequestType, frame: unknown): string {
  const first = requestValidator(type).Errors(frame).First();
  const field = first?.path.replace(/^\//, "").replaceAll("/", ".");
  return field ? `The field "${field}" is missing or invalid.` : "The request has a field of the wrong type.";
}
