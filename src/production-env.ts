// Must be the first import of the entry point: Elysia reads NODE_ENV when it is imported, and in
// production mode its validation errors do not echo the whole schema to clients. Forced, not
// defaulted: in any other mode (`bun test` sets "test"; a shell may export "development") Elysia
// builds each validation message by interpolating the offending value into a string, which a hostile
// body makes throw (a field holding {"toString":{}} or an array nested 30,000 deep) and answers 500.
process.env.NODE_ENV = "production";
