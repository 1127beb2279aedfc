/**
 * The runtime-neutral database handle. better-sqlite3 answers synchronously and D1
 * asynchronously; everything outside src/db awaits, so both look alike from here up.
 */
import type { SQLWrapper } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';

export type Db = BaseSQLiteDatabase<'async', unknown, typeof schema>;

/**
 * SQL text with positional parameters, for bulk writes: building drizzle SQL objects costs
 * more than running the statement when a push stores a thousand items.
 */
export interface RawStatement {
  sql: string;
  params: unknown[];
}

export type Statement = SQLWrapper | RawStatement;

/** The rows one statement answered. */
export type Rows = Record<string, unknown>[];

export const isRaw = (statement: Statement): statement is RawStatement => !('getSQL' in statement);

export interface Database {
  db: Db;
  kind: 'better-sqlite3' | 'd1';
  /**
   * A read prepared once and answered at once (its first row's first column, undefined for no
   * row): only drivers that can (better-sqlite3), for the few reads on a synchronous hot path
   * such as the front's publish-version check. D1 has none.
   */
  valueNow?: (sql: string) => (...params: unknown[]) => unknown;
  /**
   * Rows this connection has inserted, updated or deleted since it opened (SQLite's
   * total_changes(), triggers included): a write of this process shows as a new number without
   * touching the database file. With valueNow only.
   */
  changesNow?: () => number;
  /**
   * Runs the statements all-or-nothing: a transaction on better-sqlite3, a batch on D1. Answers
   * each statement's rows (a RETURNING clause's; none for a statement that returns nothing).
   */
  atomic(statements: Statement[]): Promise<Rows[]>;
  close(): Promise<void>;
}

/** D1 caps bound parameters per statement at 100; keep IN lists under it. */
export const MAX_PARAMS = 90;

export function chunk<T>(values: readonly T[], size = MAX_PARAMS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
