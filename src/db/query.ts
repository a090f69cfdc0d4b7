// One statement, written once in the SQL both engines understand, or once per engine where they
// differ. Rows and parameters are typed here, so a repository reads like bun:sqlite's typed queries
// and the engines stay interchangeable.
//
// Conventions every statement follows (so the two engines give the same answers):
// - placeholders are `?` (in order) or `?N` (numbered); Postgres gets `$N`.
// - column aliases are double-quoted ("roomId"): Postgres folds bare names to lower case.
// - booleans are 0/1 integers in both engines; EXISTS is written CASE WHEN EXISTS (...) THEN 1 ELSE 0 END.
// - a parameter whose type Postgres cannot infer (`? IS NULL`) is written CAST(? AS TEXT|BIGINT).
// - an array parameter is passed as a JS array: SQLite receives it as JSON text (read it with
//   json_each(?)); Postgres receives a real array (read it with unnest/ANY or as jsonb).

declare const rowType: unique symbol;
declare const paramsType: unique symbol;

export interface Query<Row, Params extends readonly unknown[]> {
  readonly sqlite: string;
  readonly postgres: string;
  /** Phantom fields: carry the types, never set. */
  readonly [rowType]?: Row;
  readonly [paramsType]?: Params;
}

export type RowOf<Q> = Q extends Query<infer R, readonly unknown[]> ? R : never;

/** A statement; `text` is portable SQL or one text per engine. */
export function sql<Row = never, Params extends readonly unknown[] = []>(text: string | { sqlite: string; postgres: string }): Query<Row, Params> {
  if (typeof text === "string") return { sqlite: text, postgres: toPostgres(text) };
  return { sqlite: text.sqlite, postgres: toPostgres(text.postgres) };
}

/**
 * `?` -> `$1, $2, …` and `?N` -> `$N`. Statements never hold a literal `?` in strings or comments
 * (every value is bound), so a plain scan is exact.
 */
export function toPostgres(text: string): string {
  let next = 0;
  return text.replace(/\?(\d+)?/g, (_match, digits: string | undefined) => (digits ? `$${digits}` : `$${++next}`));
}
