// Everything about shared files, mounted by createApp in one line.
import { Elysia } from "elysia";
import type { Services } from "../services.ts";
import { fileAdminRoutes } from "./file-admin-routes.ts";
import { fileRoutes } from "./file-routes.ts";

export function fileApi(services: Services) {
  // `files` is also exposed on the app (app.decorator.files) so tests can inspect the very service
  // they drive (e.g. await its trash sweep instead of sleeping).
  return new Elysia().decorate("files", services.files).use(fileRoutes(services)).use(fileAdminRoutes(services));
}
