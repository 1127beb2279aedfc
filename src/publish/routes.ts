import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { hashText } from '../core/hash.ts';
import type { FeedFormat } from '../core/types.ts';
import { problemResponse } from '../http/problem.ts';
import { buildRenderFeed } from './build.ts';
import { encodeCursor, parseFeedQuery } from './query.ts';
import { renderAtom } from './render/atom.ts';
import { renderJsonFeed } from './render/json.ts';
import { renderRss } from './render/rss.ts';
import type { RenderFeed } from './render/types.ts';

export const FEED_FORMATS: Record<FeedFormat, { contentType: string; render: (feed: RenderFeed) => string }> = {
  rss: { contentType: 'application/rss+xml; charset=utf-8', render: renderRss },
  atom: { contentType: 'application/atom+xml; charset=utf-8', render: renderAtom },
  json: { contentType: 'application/feed+json; charset=utf-8', render: renderJsonFeed },
};

const FILE = /^([a-z0-9][a-z0-9_-]{0,63})\.(rss|atom|json)$/;

/** Weak comparison per RFC 9110: a W/ prefix or a list of tags still matches. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function notModified(c: Context, etag: string, lastModified: Date): boolean {
  const inm = c.req.header('if-none-match');
  if (inm !== undefined) return etagMatches(inm, etag);
  const ims = c.req.header('if-modified-since');
  if (!ims) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

export function feedUrl(baseUrl: string, slug: string, format: FeedFormat): string {
  return `${baseUrl}/feeds/${slug}.${format}`;
}

export function publishRoutes(deps: AppDeps) {
  const { repos, config } = deps;
  const app = new Hono<AppEnv>();

  app.get('/feeds/:file', async (c) => {
    const match = FILE.exec(c.req.param('file'));
    if (!match) return problemResponse(c, 404, 'Not Found', { detail: 'feed URLs end in .rss, .atom or .json' });
    const [, slug, format] = match as unknown as [string, string, FeedFormat];
    const feed = await repos.feeds.bySlug(slug);
    if (!feed) return problemResponse(c, 404, 'Not Found', { detail: `no published feed "${slug}"` });

    const parsed = parseFeedQuery(c.req.queries());
    if (!parsed.ok) return problemResponse(c, 400, 'Bad Request', { detail: 'invalid query parameter', errors: parsed.problems });
    const { filter, limit, before } = parsed.query;
    const pageSize = Math.min(limit ?? feed.limit, feed.limit, 100);
    const items = await repos.items.list([feed.filter, filter], { limit: pageSize + 1, ...(before ? { before } : {}) });
    const page = items.slice(0, pageSize);
    const last = page.at(-1);
    const requested = new URL(c.req.url);
    const selfUrl = `${feedUrl(config.baseUrl, slug, format)}${requested.search}`;
    let nextUrl: string | null = null;
    if (items.length > pageSize && last) {
      const next = new URL(selfUrl);
      next.searchParams.set('before', encodeCursor({ publishedAt: last.publishedAt.getTime(), id: last.id }));
      nextUrl = next.toString();
    }
    const renderFeed = buildRenderFeed(feed, page, {
      baseUrl: config.baseUrl,
      selfUrl,
      nextUrl,
      hubs: config.websubHubs,
      generator: `Chapar ${config.version}`,
      emptyUpdated: feed.updatedAt,
    });
    const body = FEED_FORMATS[format].render(renderFeed);
    const lastModified = latest(renderFeed.updated, feed.updatedAt);
    const etag = `"${hashText(body)}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      'Last-Modified': lastModified.toUTCString(),
      'Cache-Control': `public, max-age=${feed.maxAgeSeconds}, stale-while-revalidate=${feed.maxAgeSeconds}`,
      Vary: 'Accept-Encoding',
    };
    for (const hub of config.websubHubs) c.header('Link', `<${hub}>; rel="hub"`, { append: true });
    c.header('Link', `<${selfUrl}>; rel="self"`, { append: true });
    if (notModified(c, etag, lastModified)) return c.body(null, 304, headers);
    return c.body(body, 200, { ...headers, 'Content-Type': FEED_FORMATS[format].contentType });
  });

  return app;
}

const latest = (a: Date, b: Date) => (a > b ? a : b);
