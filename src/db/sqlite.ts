/** better-sqlite3 behind the Database seam. Node only: never imported by the Workers entry. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { isRaw, type Database, type Db, type Rows, type Statement } from './database.ts';
import * as schema from './schema.ts';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

export function openSqlite(path: string, options: OpenOptions = {}): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new BetterSqlite3(path);
  // WAL lets readers run beside the one writer; NORMAL is durable against a process
  // crash (a power cut may lose the last commits); the busy timeout lets a CLI fetch
  // and the server share one file.
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('busy_timeout = 5000');
  client.pragma('foreign_keys = ON');
  const sync = drizzle({ client, schema });
  if (options.migrate !== false) migrate(sync, { migrationsFolder });
  let open = true;
  // A bulk write repeats a few statement shapes thousands of times: prepare each shape once.
  const dialect = new SQLiteSyncDialect();
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const statementFor = (text: string) => {
    let statement = prepared.get(text);
    if (!statement) {
      if (prepared.size >= 256) prepared.delete(prepared.keys().next().value!);
      statement = client.prepare(text);
      prepared.set(text, statement);
    }
    return statement;
  };
  let changes: BetterSqlite3.Statement | undefined;
  return {
    db: sync as unknown as Db,
    kind: 'better-sqlite3',
    valueNow(sql) {
      const statement = client.prepare(sql).pluck();
      return (...params) => statement.get(...params);
    },
    changesNow: () => (changes ??= client.prepare('SELECT total_changes()').pluck()).get() as number,
    async atomic(statements: Statement[]) {
      const queries = statements.map((statement) => (isRaw(statement) ? statement : dialect.sqlToQuery(statement.getSQL())));
      return client
        .transaction(() =>
          queries.map(({ sql, params }): Rows => {
            const statement = statementFor(sql);
            if (statement.reader) return statement.all(...(params as unknown[])) as Rows;
            statement.run(...(params as unknown[]));
            return [];
          }),
        )
        .immediate();
    },
    async close() {
      if (!open) return;
      open = false;
      client.close();
    },
  };
}

/**
 * A consistent copy of a live database through SQLite's online backup API: safe while a
 * server writes to the same file, since the copy restarts pages that change under it.
 */
export async function backupSqlite(path: string, destination: string): Promise<{ totalPages: number }> {
  const client = new BetterSqlite3(path, { fileMustExist: true });
  try {
    client.pragma('busy_timeout = 5000');
    const result = await client.backup(destination);
    return { totalPages: result.totalPages };
  } finally {
    client.close();
  }
}
