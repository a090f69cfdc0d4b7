// Typed statements over Bun's built-in Postgres client. Rows come back as plain objects with JS
// numbers: the pool is opened with `bigint: true` and every int8 is turned into a number here (ids
// and millisecond times stay far below 2^53), so repositories see the same values as with SQLite.
import type { SQL } from "bun";
import { DatabaseUnavailable } from "../../errors.ts";
import type { Query } from "../query.ts";
import type { Conn, RunResult } from "../store.ts";

type Runner = Pick<SQL, "unsafe">;

function toRows<Row>(result: unknown): Row[] {
  const rows = result as Record<string, unknown>[];
  for (const row of rows) {
    for (const key in row) {
      if (typeof row[key] === "bigint") row[key] = Number(row[key]);
    }
  }
  return Array.prototype.slice.call(rows) as Row[];
}

// SQLSTATE classes that mean the server cannot serve us now rather than that the statement is wrong:
// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, a
// statement_timeout cancel), 58 system error.
const UNAVAILABLE_STATES = /^(08|53|57|58)/;

/** True when an error says the database is unreachable or overloaded, not that a statement is wrong. */
export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown } | null;
  if (!e || typeof e.code !== "string") return false;
  if (e.code === "ERR_POSTGRES_SERVER_ERROR") return typeof e.errno === "string" && UNAVAILABLE_STATES.test(e.errno);
  return /^ERR_POSTGRES_(CONNECTION|IDLE|LIFETIME|TLS|SOCKET|AUTHENTICATION)/.test(e.code) || e.code === "ECONNREFUSED";
}

export function translate(error: unknown): unknown {
  if (isUnavailable(error)) return new DatabaseUnavailable((error as Error).message);
  return error;
}

export class PgConn implements Conn {
  readonly engine = "postgres" as const;

  constructor(
    private readonly runner: Runner,
    /** Reads outside a transaction may be retried once: a pool's first query after a lost connection fails. */
    private readonly retryReads: boolean,
  ) {}

  private async exec(text: string, params: readonly unknown[]): Promise<unknown> {
    try {
      return await this.runner.unsafe(text, params as unknown[]);
    } catch (error) {
      if (this.retryReads && isUnavailable(error)) {
        try {
          return await this.runner.unsafe(text, params as unknown[]);
        } catch (again) {
          throw translate(again);
        }
      }
      throw translate(error);
    }
  }

  async get<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row | null> {
    return toRows<Row>(await this.exec(query.postgres, params))[0] ?? null;
  }

  async all<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row[]> {
    return toRows<Row>(await this.exec(query.postgres, params));
  }

  async run<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<RunResult> {
    const result = (await this.exec(query.postgres, params)) as { count?: number | bigint | null };
    return { changes: Number(result.count ?? 0) };
  }
}
