import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import type { PublishedFeed } from '../../core/types.ts';
import type { Repos } from '../../db/repos/index.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { READER_WINDOW_MS } from '../../shortlinks/traffic.ts';
import { registerOperations } from '../openapi.ts';

const feedStats = z.object({
  feed: z.string(),
  window: z.literal('7d'),
  subscribers: z.number().int().describe("hosted readers' latest reported counts plus one per other distinct client seen in the window"),
  readers: z.array(z.object({ name: z.string(), subscribers: z.number().int() })),
  polls: z.object({
    days: z.number().int(),
    total: z.number().int(),
    byDay: z.array(z.object({ day: z.string(), polls: z.number().int() })),
    byFormat: z.record(z.string(), z.number().int()),
  }),
});

registerOperations([
  {
    method: 'get',
    path: '/feeds/{slug}/stats',
    tag: 'feeds',
    summary: 'Audience of a feed: subscriber estimate (FeedPress way) and requests per day and format',
    status: 200,
    response: feedStats,
    query: { days: { description: 'days of polls, 1-366 (default 7)', schema: z.number().int().min(1).max(366) } },
  },
]);

const DAY_MS = 24 * 60 * 60 * 1000;
const FORMATS = ['rss', 'atom', 'json'] as const;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export type FeedStats = z.infer<typeof feedStats>;

/** A feed's audience over the last `days` days: what the stats API and `chapar stats` show. */
export async function computeFeedStats(repos: Repos, feed: PublishedFeed, days: number, now: Date): Promise<FeedStats> {
  const at = now.getTime();
  const dayList = Array.from({ length: days }, (_, i) => dayOf(at - (days - 1 - i) * DAY_MS));
  const audience = await repos.audience.feedAudience(feed.id, { seenSince: new Date(at - READER_WINDOW_MS), sinceDay: dayList[0]! });

  const perDay = new Map(dayList.map((day) => [day, 0]));
  const byFormat: Record<string, number> = Object.fromEntries(FORMATS.map((f) => [f, 0]));
  let total = 0;
  for (const { day, format, count } of audience.polls) {
    if (!perDay.has(day)) continue;
    perDay.set(day, perDay.get(day)! + count);
    byFormat[format] = (byFormat[format] ?? 0) + count;
    total += count;
  }

  return {
    feed: feed.slug,
    window: '7d',
    subscribers: audience.readers.reduce((sum, r) => sum + r.subscribers, 0),
    readers: audience.readers,
    polls: {
      days,
      total,
      byDay: [...perDay].map(([day, polls]) => ({ day, polls })),
      byFormat,
    },
  };
}


/**
 * `GET /api/v1/feeds/:slug/stats`: the feed's audience. Subscribers are hosted readers'
 * latest reported counts plus one per other distinct client, seen in the last 7 days;
 * polls are every feed request, per day (UTC) and format, over `days` (default 7).
 */
export function feedStatsApi(deps: AppDeps) {
  const { repos } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono<AppEnv>();

  app.get('/:slug/stats', async (c) => {
    const slug = c.req.param('slug');
    const daysRaw = c.req.query('days');
    const days = daysRaw === undefined ? 7 : Number(daysRaw);
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new ValidationError('invalid query', [{ field: 'days', message: 'must be a whole number from 1 to 366' }]);
    const feed = await repos.feeds.bySlug(slug);
    if (!feed) throw new NotFoundError(`no feed "${slug}"`);

    return c.json(await computeFeedStats(repos, feed, days, now()));
  });

  return app;
}
