// Typing indicators across nodes: ephemeral, never stored. Each node keeps the indicators started
// on its own sockets (presence/typing.ts); their starts and stops travel on Redis to every node's
// sockets in the room. A lost hint only leaves an indicator to expire by itself.
import type { TypingEvent } from "../protocol.ts";
import type { RedisLink } from "./redis-link.ts";

export const TYPING_CHANNEL = "typing";

export function clusterTyping(link: RedisLink, nodeId: string, deliver: (event: TypingEvent) => void) {
  link.on(link.name(TYPING_CHANNEL), (message) => {
    const { node, event } = JSON.parse(message) as { node: string; event: TypingEvent };
    if (node !== nodeId) deliver(event);
  });
  return (event: TypingEvent) => {
    deliver(event);
    void link.publish(link.name(TYPING_CHANNEL), JSON.stringify({ node: nodeId, event }));
  };
}
