// Search over HTTP: GET /api/search (docs/API-chat.md, "Search"). The route validates the shape of
// the parameters; what the query says is parsed by the domain (search/query-parser.ts), which gives
// the specific search_* errors.
import { Elysia, t } from "elysia";
import { MAX_SEARCH_LIMIT, type SearchReply } from "../protocol.ts";
import type { Services } from "../services.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { PositiveInteger } from "./room-routes.ts";

export function searchRoutes(services: Services) {
  return new Elysia().use(authContext(services)).get(
    "/api/search",
    ({ actor, query }): Promise<SearchReply> => services.search.search(requireActor(actor), query),
    {
      query: t.Object({
        // Longer than the parser accepts, so that it answers search_query_too_long itself.
        q: t.String({ maxLength: 2048 }),
        room: t.Optional(PositiveInteger),
        // `next` of the previous page: an id, or score:id when sorted by relevance.
        before: t.Optional(t.String({ pattern: "^[0-9]{1,15}(:[0-9]{1,15})?$" })),
        limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_SEARCH_LIMIT })),
        sort: t.Optional(t.Union([t.Literal("newest"), t.Literal("relevance")])),
        // Minutes from UTC as Date.getTimezoneOffset() says (UTC-14 to UTC+14), for before:/after:/during:.
        tz: t.Optional(t.Integer({ minimum: -840, maximum: 840 })),
      }),
    },
  );
}
