// Typed statements over one bun:sqlite connection. Each Query is prepared once per connection and
// kept (bun:sqlite's own cache holds only the last few), and answers synchronously: the async
// signature is the store's contract, not SQLite's cost.
import type { Database, Statement } from "bun:sqlite";
import type { Query } from "../query.ts";
import type { Conn, RunResult } from "../store.ts";

type Bindable = string | number | bigint | boolean | null | Uint8Array;

/** SQLite binds no arrays: they travel as JSON text, read back with json_each(?). */
function bind(params: readonly unknown[]): Bindable[] {
  const out = new Array<Bindable>(params.length);
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    out[i] = Array.isArray(value) ? JSON.stringify(value) : (value as Bindable);
  }
  return out;
}

export class SqliteConn implements Conn {
  readonly engine = "sqlite" as const;
  private readonly statements = new WeakMap<Query<unknown, readonly unknown[]>, Statement>();

  constructor(readonly db: Database) {}

  statement(query: Query<unknown, readonly unknown[]>): Statement {
    let statement = this.statements.get(query);
    if (!statement) {
      statement = this.db.prepare(query.sqlite);
      this.statements.set(query, statement);
    }
    return statement;
  }

  getSync<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Row | null {
    return this.statement(query as Query<unknown, readonly unknown[]>).get(...bind(params)) as Row | null;
  }

  allSync<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Row[] {
    return this.statement(query as Query<unknown, readonly unknown[]>).all(...bind(params)) as Row[];
  }

  runSync<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): RunResult {
    return { changes: this.statement(query as Query<unknown, readonly unknown[]>).run(...bind(params)).changes };
  }

  async get<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row | null> {
    return this.getSync(query, ...params);
  }

  async all<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row[]> {
    return this.allSync(query, ...params);
  }

  async run<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<RunResult> {
    return this.runSync(query, ...params);
  }
}
