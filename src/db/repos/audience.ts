/** Who reads each feed: polls per day and format, and the readers behind subscriber estimates. */
import { and, eq, gte, lt, sql, type SQLWrapper } from 'drizzle-orm';
import { chunk, type Database } from '../database.ts';
import { feedPolls, feedReaders, settings } from '../schema.ts';

/** Feed requests for one feed (by slug), day and format, as buffered. */
export interface PollCount {
  slug: string;
  day: string;
  format: string;
  count: number;
}

/** One reader seen polling a feed: a hosted reader's report, or one distinct client. */
export interface ReaderSighting {
  slug: string;
  /** `hosted:<name>[:<feed-id>]` or `client:<salted hash>`: never a raw IP. */
  key: string;
  name: string;
  /** Null when a hosted reader did not say: a known count is kept, a new row counts one. */
  subscribers: number | null;
  seenAt: Date;
}

export interface FeedAudience {
  readers: { name: string; subscribers: number }[];
  polls: { day: string; format: string; count: number }[];
}

const SALT_KEY = 'audience.salt';
const BATCH = 200;

export function audienceRepo(database: Database) {
  const { db } = database;
  let salt: string | null = null;

  return {
    /** The secret mixed into client hashes, made once per database and kept in `settings`. */
    async salt(): Promise<string> {
      if (salt) return salt;
      const fresh = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
      await db.insert(settings).values({ key: SALT_KEY, value: fresh }).onConflictDoNothing();
      const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, SALT_KEY));
      salt = row!.value;
      return salt;
    },

    /** Adds buffered polls; polls of feeds deleted meanwhile are dropped. */
    async addPolls(counts: PollCount[]): Promise<void> {
      const statements: SQLWrapper[] = counts.map(
        ({ slug, day, format, count }) => sql`INSERT INTO feed_polls (feed_id, day, format, count)
          SELECT id, ${day}, ${format}, ${count} FROM feeds WHERE slug = ${slug}
          ON CONFLICT (feed_id, day, format) DO UPDATE SET count = count + excluded.count`,
      );
      for (const part of chunk(statements, BATCH)) await database.atomic(part);
    },

    /** Records sightings; a reader's latest report wins over an older one flushed late. */
    async touchReaders(sightings: ReaderSighting[]): Promise<void> {
      const statements: SQLWrapper[] = sightings.map(({ slug, key, name, subscribers, seenAt }) => {
        const reported = subscribers === null ? 0 : 1;
        return sql`INSERT INTO feed_readers (feed_id, reader_key, name, subscribers, last_seen_at)
          SELECT id, ${key}, ${name}, ${subscribers ?? 1}, ${seenAt.getTime()} FROM feeds WHERE slug = ${slug}
          ON CONFLICT (feed_id, reader_key) DO UPDATE SET
            name = excluded.name,
            subscribers = CASE WHEN ${reported} = 1 AND excluded.last_seen_at >= last_seen_at THEN excluded.subscribers ELSE subscribers END,
            last_seen_at = max(last_seen_at, excluded.last_seen_at)`;
      });
      for (const part of chunk(statements, BATCH)) await database.atomic(part);
    },

    /** Readers seen since `seenSince`, summed by name, and polls since `sinceDay`. */
    async feedAudience(feedId: number, opts: { seenSince: Date; sinceDay: string }): Promise<FeedAudience> {
      const subscribers = sql<number>`sum(${feedReaders.subscribers})`;
      const readers = await db
        .select({ name: feedReaders.name, subscribers })
        .from(feedReaders)
        .where(and(eq(feedReaders.feedId, feedId), gte(feedReaders.lastSeenAt, opts.seenSince)))
        .groupBy(feedReaders.name)
        .orderBy(sql`2 DESC`, feedReaders.name);
      const polls = await db
        .select({ day: feedPolls.day, format: feedPolls.format, count: feedPolls.count })
        .from(feedPolls)
        .where(and(eq(feedPolls.feedId, feedId), gte(feedPolls.day, opts.sinceDay)))
        .orderBy(feedPolls.day, feedPolls.format);
      return { readers: readers.map((r) => ({ name: r.name, subscribers: Number(r.subscribers) })), polls };
    },

    /** Forgets readers not seen since `before`: they no longer count, and the table stays small. */
    async pruneReaders(before: Date): Promise<void> {
      await db.delete(feedReaders).where(lt(feedReaders.lastSeenAt, before));
    },
  };
}

export type AudienceRepo = ReturnType<typeof audienceRepo>;
