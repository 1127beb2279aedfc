/**
 * The SQL a feed request runs, with SQLite's query plan and time for each statement. The queries
 * are the app's own: the repositories run one feed page (src/publish/page.ts) and its
 * Last-Modified read on a drizzle instance whose logger keeps every statement and its parameters.
 */
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Database, Db } from '../../src/db/database.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import * as schema from '../../src/db/schema.ts';
import { loadFeedPage } from '../../src/publish/page.ts';
import { parseFeedQuery } from '../../src/publish/query.ts';
import { median } from './probe.ts';

export interface StatementPlan {
  sql: string;
  params: unknown[];
  plan: string[];
  /** Median of five runs, in ms. */
  ms: number;
  rows: number;
}

export interface RequestPlan {
  name: string;
  url: string;
  statements: StatementPlan[];
}

export async function feedRequestPlans(file: string, requests: { name: string; slug: string; query: Record<string, string[]> }[]): Promise<RequestPlan[]> {
  const client = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  let captured: { sql: string; params: unknown[] }[] = [];
  const sync = drizzle({ client, schema, logger: { logQuery: (sql, params) => captured.push({ sql, params }) } });
  const database: Database = {
    db: sync as unknown as Db,
    kind: 'better-sqlite3',
    atomic: async () => {
      throw new Error('bench: plans are read only');
    },
    close: async () => {
      client.close();
    },
  };
  const repos = createRepos(database);
  const out: RequestPlan[] = [];
  try {
    for (const request of requests) {
      captured = [];
      const feed = await repos.feeds.bySlug(request.slug);
      if (!feed) throw new Error(`bench: no feed ${request.slug} in ${file}`);
      const parsed = parseFeedQuery(request.query);
      if (!parsed.ok) throw new Error(`bench: bad query ${JSON.stringify(request.query)}`);
      await repos.items.publishVersion();
      await loadFeedPage(repos, feed, parsed.query);
      await repos.items.lastChange([feed.filter, parsed.query.filter]);
      const statements = captured.map(({ sql, params }) => {
        const bound = params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
        const plan = (client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...bound) as { id: number; parent: number; detail: string }[]).map(planLine());
        const statement = client.prepare(sql);
        let rows = 0;
        const times = Array.from({ length: 5 }, () => {
          const started = performance.now();
          rows = statement.all(...bound).length;
          return performance.now() - started;
        });
        return { sql, params: bound, plan, ms: median(times), rows };
      });
      const search = new URLSearchParams(Object.entries(request.query).flatMap(([k, vs]) => vs.map((v) => [k, v]))).toString();
      out.push({ name: request.name, url: `/feeds/${request.slug}.rss${search ? `?${search}` : ''}`, statements });
    }
  } finally {
    await database.close();
  }
  return out;
}

/** Indents each plan row under its parent, as the sqlite3 shell prints it. */
function planLine() {
  const depth = new Map<number, number>([[0, -1]]);
  return (row: { id: number; parent: number; detail: string }) => {
    const d = (depth.get(row.parent) ?? -1) + 1;
    depth.set(row.id, d);
    return `${'  '.repeat(d)}${row.detail}`;
  };
}
