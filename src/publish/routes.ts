import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { hashText } from '../core/hash.ts';
import type { FeedFormat, PublishedFeed } from '../core/types.ts';
import { headerOf, type FrontPart } from '../http/front.ts';
import { problemResponse } from '../http/problem.ts';
import type { TrafficRecorder } from '../shortlinks/traffic.ts';
import { buildRenderFeed } from './build.ts';
import { DEFAULT_CACHE_BYTES, FeedCache, versionReader, type RenderedFeed } from './cache.ts';
import { offeredCodings, webCompressor, type Coding } from './compress.ts';
import { negotiateEncoding, type Encoding } from './conditional.ts';
import { loadFeedPage } from './page.ts';
import { encodeCursor, parseFeedQuery, type FeedQuery } from './query.ts';
import { answerFeed } from './respond.ts';
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
/** The same names as the front sees them: the path as sent. */
const FEED_FILE_PATH = /^\/feeds\/([a-z0-9][a-z0-9_-]{0,63})\.(rss|atom|json)$/;
/**
 * How long the front trusts the publish version it read while this process writes nothing:
 * another process's writes (a CLI fetch into the same file) reach feeds within this.
 */
export const FRONT_RECHECK_MS = 1000;
/** The route label the app's metrics count feed requests under (see routeOf in src/http/observe.ts). */
const FEED_ROUTE = '/feeds/:file';

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
  // One value for the body and the Link header, so the two never disagree.
  const firstUrl = nextUrl || previousUrl ? pageUrl(selfUrl, null) : null;
  const renderFeed = buildRenderFeed(feed, page.items, {
    baseUrl: config.baseUrl,
    selfUrl,
    nextUrl,
    previousUrl,
    firstUrl,
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
    ...(firstUrl ? [`<${firstUrl}>; rel="first"`] : []),
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

/** The rendering's bytes in this coding if they are made already. */
const bytesAtHand = (feed: RenderedFeed, coding: Encoding) => (coding === 'identity' ? feed.identity : feed.coded[coding]);

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

/**
 * The feed routes, and their front part: the same cache replayed without the app when the
 * runtime can read the publish version at once and the rendering (in the coding asked for) is
 * already there. Polls the front answers are counted into `traffic` as the app's middleware
 * (src/shortlinks/polls.ts) counts the rest.
 */
export function publishRoutes(deps: AppDeps, traffic?: TrafficRecorder): { app: Hono<AppEnv>; front: FrontPart } {
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
    const conditionals = { ifNoneMatch: c.req.header('if-none-match'), ifModifiedSince: c.req.header('if-modified-since') };
    let answer = answerFeed(feed, coding, conditionals, () => bytesAtHand(feed, coding));
    if (!answer) {
      // Only a compressed coding can be missing: make it once, keep it beside the identity bytes.
      const coded = await cache.coded(key, feed, coding as Coding);
      answer = answerFeed(feed, coding, conditionals, () => coded)!;
    }
    return answer.body === null ? c.body(null, 304, { ...answer.headers }) : c.body(answer.body, 200, { ...answer.headers });
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

  const frontMaxAgeMs = deps.publish?.frontRecheckMs ?? FRONT_RECHECK_MS;
  const versionNow = () => repos.items.publishVersionNow(frontMaxAgeMs);
  const front: FrontPart = (request, path, query) => {
    const match = FEED_FILE_PATH.exec(path);
    if (!match || !traffic || traffic.eager) return null;
    const version = versionNow();
    if (version === undefined) return null;
    const [, slug, format] = match as unknown as [string, string, FeedFormat];
    const key = `${slug}.${format}${query === '' ? '' : canonicalSearch(new URLSearchParams(query))}`;
    const feed = cache.peek(key, version);
    if (!feed) return null;
    const coding = negotiateEncoding(headerOf(request, 'accept-encoding'), codings);
    const conditionals = { ifNoneMatch: headerOf(request, 'if-none-match'), ifModifiedSince: headerOf(request, 'if-modified-since') };
    const answer = answerFeed(feed, coding, conditionals, () => bytesAtHand(feed, coding));
    if (!answer) return null;
    traffic.poll({ slug, format, userAgent: headerOf(request, 'user-agent'), ip: request.ip });
    return { ...answer, route: FEED_ROUTE };
  };

  return { app, front };
}
