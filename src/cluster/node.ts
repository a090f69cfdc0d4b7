// This node's membership in a cluster: its name and its Redis link, with the shared rate limiter
// built on it. Absent on the embedded engine, and on a lone Postgres node started without --redis.
import type { Logger } from "../log.ts";
import { RedisLimiter } from "./redis-limiter.ts";
import { RedisLink, type LinkState } from "./redis-link.ts";

export interface ClusterNode {
  nodeId: string;
  link: RedisLink;
  limiter: RedisLimiter;
  /** Told when the link goes down or comes back (the bus and presence register here). */
  onLinkState(listener: (state: LinkState) => void): void;
  close(): void;
}

export async function joinCluster(options: { redisUrl: string; nodeId: string; namespace: string; secret: string; logger: Logger }): Promise<ClusterNode> {
  const listeners: ((state: LinkState) => void)[] = [];
  const link = new RedisLink({
    url: options.redisUrl,
    nodeId: options.nodeId,
    namespace: options.namespace,
    secret: options.secret,
    logger: options.logger,
    onState: (state) => {
      for (const listener of listeners) listener(state);
    },
  });
  const node: ClusterNode = {
    nodeId: options.nodeId,
    link,
    limiter: new RedisLimiter(link),
    onLinkState: (listener) => void listeners.push(listener),
    close: () => link.close(),
  };
  return node;
}
