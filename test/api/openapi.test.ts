// GET /api/openapi.json: an OpenAPI 3.1 document generated from the route schemas. It must validate
// against the OpenAPI 3.1 JSON Schema (checked by a maintained validator, not by us) and describe
// every route in the app's own route table, with the error answers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let document: { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

beforeAll(async () => {
  app = await createTestApp();
  const res = await app.request("/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  document = (await res.json()) as typeof document;
});
afterAll(() => app.close());

/** Elysia's /api/rooms/:id → OpenAPI's /api/rooms/{id}; a trailing slash is the same route. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1");

describe("the OpenAPI document", () => {
  test("validates against the OpenAPI 3.1 schema", async () => {
    expect(document.openapi).toStartWith("3.1");
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("lists every route of the app's route table, with its error answers", () => {
    const documented = new Map<string, Set<string>>();
    for (const [path, item] of Object.entries(document.paths)) documented.set(openApiPath(path), new Set(Object.keys(item).map((m) => m.toUpperCase())));
    const routes = app.app.routes.filter((route) => route.path !== "/*" && route.path !== "*");
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter((route) => !documented.get(openApiPath(route.path))?.has(route.method.toUpperCase())).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        for (const status of ["400", "401", "403", "404", "429", "500"]) expect(operation.responses).toHaveProperty(status);
      }
    }
  });

  test("describes request bodies and parameters from the validation schemas", () => {
    const post = document.paths["/api/rooms/{id}/messages"]?.post as { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } } | undefined;
    expect(Object.keys(post?.requestBody?.content?.["application/json"]?.schema?.properties ?? {}).sort()).toEqual(["alsoToRoom", "attachments", "body", "clientId", "quoteId", "threadRootId"]);
  });
});
