/**
 * Cloudflare D1 behind the Database seam. Workers only: the schema comes from
 * `wrangler d1 migrations apply` (the same SQL files drizzle's Node migrator reads),
 * never from code here.
 */
import type { D1Database } from '@cloudflare/workers-types';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { isRaw, type Database, type Db, type Statement } from './database.ts';
import * as schema from './schema.ts';

const dialect = new SQLiteAsyncDialect();

export function openD1(binding: D1Database): Database {
  return {
    db: drizzle(binding, { schema }) as unknown as Db,
    kind: 'd1',
    // D1 has no interactive transactions, but a batch runs as one implicit transaction: a
    // failing statement rolls back the ones before it. The statements are bound here rather
    // than through drizzle's db.batch(db.run(sql)), which (0.45) loses the parameters of raw SQL.
    async atomic(statements: Statement[]) {
      if (statements.length === 0) return [];
      const answers = await binding.batch<Record<string, unknown>>(
        statements.map((statement) => {
          const query = isRaw(statement) ? statement : dialect.sqlToQuery(statement.getSQL());
          return binding.prepare(query.sql).bind(...query.params);
        }),
      );
      return answers.map((answer) => answer.results ?? []);
    },
    // The binding belongs to the isolate; there is nothing to close.
    async close() {},
  };
}
