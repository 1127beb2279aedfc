import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { hashText } from '../core/hash.ts';
import type { FeedFormat, PublishedFeed } from '../core/types.ts';
import { problemResponse } from '../http/problem.ts';
import { buildRenderFeed } from './build.ts';
import { DEFAULT_CACHE_BYTES, FeedCache, versionReader, type RenderedFeed } from './cache.ts';
import { offeredCodings, webCompressor } from './compress.ts';
import { isNotModified, negotiateEncoding, variantTag } from './conditional.ts';
import { loadFeedPage } from './page.ts';
import { encodeCursor, parseFeedQuery, type FeedQuery } from './query.ts';
import { renderAtom } from './render/atom.ts';
import { renderJsonFeed } from './render/json.ts';
import { renderRss } from './render/rss.ts';
import type { RenderFeed } from './render/types.ts';

export const FEED_FORMATS: Record<FeedFormat, { contentType: string; render: (feed: RenderFeed) => string }> = {
  rss: { contentType: 'application/rss+xml; charset=utf-8', render: renderRss },
  atom: { contentType: 'application/atom+xml; charset=utf-8', render: renderAtom },
  json: { contentType: 'application/feed+json; charset=utf-8', render: renderJsonFeed },
};

export function feedUrl(baseUrl: string, slug: string, format: FeedFormat): string {
  return `${baseUrl}/feeds/${slug}.${format}`;
}

/** Only well-formed feed file names reach the handler; `/feeds/:slug` alone is the HTML preview. */
const FEED_FILE = '/feeds/:file{[a-z0-9][a-z0-9_-]{0,63}\\.(?:rss|atom|json)}';

const encoder = new TextEncoder();
/** The SVG the HTML views use too (src/publish/assets.ts); RSS leaves it out, as it allows only GIF, JPEG and PNG. */
const ICON_PATH = '/assets/chapar.svg';
const latest = (a: Date, b: Date) => (a > b ? a : b);

/** The page's URL with one paging cursor in place of any other. */
function pageUrl(selfUrl: string, param: 'before' | 'after' | null, cursor?: { publishedAt: number; id: number }): string {
  const url = new URL(selfUrl);
  url.searchParams.delete('before');
  url.searchParams.delete('after');
  if (param && cursor) url.searchParams.set(param, encodeCursor(cursor));
  return url.toString();
}

/** Loads and renders one feed request into bytes with its validators: what a cache miss costs. */
async function renderFeedBytes(deps: AppDeps, feed: PublishedFeed, format: FeedFormat, query: FeedQuery, search: string): Promise<RenderedFeed> {
  const { repos, config } = deps;
  const page = await loadFeedPage(repos, feed, query);
  const selfUrl = `${feedUrl(config.baseUrl, feed.slug, format)}${search}`;
  const nextUrl = page.older ? pageUrl(selfUrl, 'before', page.older) : null;
  const previousUrl = page.newer ? pageUrl(selfUrl, 'after', page.newer) : null;
  const renderFeed = buildRenderFeed(feed, page.items, {
    baseUrl: config.baseUrl,
    selfUrl,
    nextUrl,
    hubs: config.websubHubs,
    generator: `Chapar ${config.version}`,
    iconUrl: `${config.baseUrl}${ICON_PATH}`,
    emptyUpdated: feed.updatedAt,
  });
  const body = FEED_FORMATS[format].render(renderFeed);
  // Deletions and category renames count too, so a reader that only sends If-Modified-Since
  // never keeps an item that is gone.
  const changed = await repos.items.lastChange([feed.filter, query.filter]);
  const links = [
    ...config.websubHubs.map((hub) => `<${hub}>; rel="hub"`),
    `<${selfUrl}>; rel="self"`,
    ...(nextUrl || previousUrl ? [`<${pageUrl(selfUrl, null)}>; rel="first"`] : []),
    ...(previousUrl ? [`<${previousUrl}>; rel="previous"`] : []),
    ...(nextUrl ? [`<${nextUrl}>; rel="next"`] : []),
  ];
  return {
    hash: hashText(body),
    lastModified: changed ? latest(changed, feed.updatedAt) : feed.updatedAt,
    contentType: FEED_FORMATS[format].contentType,
    maxAgeSeconds: feed.maxAgeSeconds,
    links,
    identity: encoder.encode(body),
    coded: {},
  };
}

const FEED_PARAMS = new Set(['category', 'match', 'q', 'exclude', 'source', 'since', 'until', 'limit', 'before', 'after']);

/**
 * The query as the feed echoes it (rel="self") and caches it: known parameters only, in the
 * order given. A cache-buster like `?_=123` neither makes a new cache entry nor ends up in links,
 * so no client can flush the cache by varying junk parameters.
 */
function canonicalSearch(params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const [name, value] of params) if (FEED_PARAMS.has(name)) kept.append(name, value);
  const text = kept.toString();
  return text ? `?${text}` : '';
}

export function publishRoutes(deps: AppDeps) {
  const { repos } = deps;
  const compressor = deps.compress ?? webCompressor();
  const codings = offeredCodings(compressor);
  const lookups = deps.metrics?.counter('chapar_feed_cache_lookups_total', 'Rendered-feed cache lookups by result (hit ratio = hit / all)', ['result']);
  const cache = new FeedCache({
    maxBytes: deps.publish?.cacheBytes ?? DEFAULT_CACHE_BYTES,
    compressor,
    ...(lookups ? { onLookup: (hit: boolean) => lookups([hit ? 'hit' : 'miss']) } : {}),
    shared: deps.publish?.sharedCache,
    log: deps.log,
  });
  deps.metrics?.gauge('chapar_feed_cache_bytes', 'Bytes of rendered feeds held in memory', () => [{ labels: {}, value: cache.bytes }]);
  const version = versionReader(() => repos.items.publishVersion(), deps.publish?.recheckMs ?? 0);
  const app = new Hono<AppEnv>();

  /** 400 and 404 answers leave the render callback as throws, so they are never cached. */
  class Refusal {
    constructor(
      readonly status: 400 | 404,
      readonly title: string,
      readonly extra: Record<string, unknown>,
    ) {}
  }

  async function send(c: Context, key: string, feed: RenderedFeed) {
    const coding = negotiateEncoding(c.req.header('accept-encoding'), codings);
    const etag = variantTag(feed.hash, coding);
    const headers: Record<string, string> = {
      ETag: etag,
      'Last-Modified': feed.lastModified.toUTCString(),
      'Cache-Control': `public, max-age=${feed.maxAgeSeconds}, stale-while-revalidate=${feed.maxAgeSeconds}, stale-if-error=86400`,
      Vary: 'Accept-Encoding',
      Link: feed.links.join(', '),
      // Web-based readers fetch feeds from their own origin.
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'ETag, Link',
    };
    if (isNotModified({ ifNoneMatch: c.req.header('if-none-match'), ifModifiedSince: c.req.header('if-modified-since') }, etag, feed.lastModified)) {
      return c.body(null, 304, headers);
    }
    const bytes = coding === 'identity' ? feed.identity : await cache.coded(key, feed, coding);
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    return c.body(bytes, 200, {
      ...headers,
      'Content-Type': feed.contentType,
      'Content-Length': String(bytes.byteLength),
      'X-Content-Type-Options': 'nosniff',
    });
  }

  app.get(FEED_FILE, async (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const slug = file.slice(0, dot);
    const format = file.slice(dot + 1) as FeedFormat;
    const search = canonicalSearch(new URL(c.req.url).searchParams);
    const key = `${slug}.${format}${search}`;
    // The version is read before anything else, so a rendering is never older than its version.
    const at = await version();
    try {
      const feed = await cache.get(key, at, async () => {
        const published = await repos.feeds.bySlug(slug);
        if (!published) throw new Refusal(404, 'Not Found', { detail: `no published feed "${slug}"` });
        const parsed = parseFeedQuery(c.req.queries());
        if (!parsed.ok) throw new Refusal(400, 'Bad Request', { detail: 'invalid query parameter', errors: parsed.problems });
        return renderFeedBytes(deps, published, format, parsed.query, search);
      });
      return await send(c, key, feed);
    } catch (error) {
      if (error instanceof Refusal) return problemResponse(c, error.status, error.title, error.extra);
      throw error;
    }
  });

  return app;
}
