import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';

/** Counts for operators (/metrics, dashboards): cheap aggregate queries, no per-row work. */
export function statsRepo({ db }: Database) {
  return {
    async sourcesByState(): Promise<{ state: string; outcome: string; count: number }[]> {
      return db.all<{ state: string; outcome: string; count: number }>(
        sql`SELECT state, coalesce(last_status, 'never') AS outcome, count(*) AS count FROM sources GROUP BY state, outcome ORDER BY state, outcome`,
      );
    },
  };
}
