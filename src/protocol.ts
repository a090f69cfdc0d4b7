// The real-time protocol between the browser and the server, over the one socket at /ws.
// The browser sends requests in the imperative (`message.post`); the server reports facts in the
// past tense (`message.created`), replies to a request with `ack` (same requestId) or `error`.
// It holds types and plain constants only, in parts that import nothing else, so web/ can import it.
// The validating schemas for incoming frames live in src/ws/schemas.ts and are checked against
// these types at compile time.
//
// The parts, by what they hold (src/protocol/): limits, the shapes frames carry, requests and
// their replies, events, error codes.

export * from "./protocol/limits.ts";
export * from "./protocol/shapes.ts";
export * from "./protocol/requests.ts";
export * from "./protocol/events.ts";
export * from "./protocol/errors.ts";
export * from "./protocol/audit-events.ts";
