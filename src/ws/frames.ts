// The one place a frame becomes text: every ServerEvent is serialised here, from its typed value, so
// a renamed event or field in protocol.ts fails the compiler on both sides of the socket. A broadcast
// is serialised once for all its recipients (broadcast.ts).
import type { ServerEvent } from "../protocol.ts";

export function encode(event: ServerEvent): string {
  return JSON.stringify(event);
}
