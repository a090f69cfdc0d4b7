// Must be the first import of the entry point: Elysia reads NODE_ENV when it is imported, and in
// production mode its validation errors do not echo the whole schema to clients.
process.env.NODE_ENV ??= "production";
