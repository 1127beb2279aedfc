/**
 * Rendered feeds in the Workers Cache API, the tier between each isolate's memory and D1: the
 * isolates of one colo share it, so a cold isolate (or one of many) serves a feed another has
 * rendered without reading D1. Cloudflare does not replicate it between colos, and on a
 * `workers.dev` address it stores nothing, so it only saves work: every miss still renders.
 *
 * Only the identity bytes are stored. The Worker offers no compressed codings (Cloudflare
 * compresses per client at the edge), and a runtime that does make them keeps them per isolate,
 * which costs one compression there rather than three copies of every feed here.
 */
import type { RenderedFeed, SharedFeedStore } from '../publish/cache.ts';

/** The part of the Workers Cache API used here. */
export interface FeedCacheApi {
  match(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
}

export interface CacheApiFeedStoreOptions {
  /**
   * The code's release (package version): a deploy that renders differently must not serve the
   * previous code's bytes for the same publish version.
   */
  release: string;
  /**
   * How long an entry may live. A newer publish version makes entries unreachable anyway; this
   * bounds what an unbumped release or a D1 restored to an older version could still find.
   */
  ttlSeconds?: number;
  /** The cache to use; the named cache `chapar-feeds` by default, apart from the zone's own. */
  open?: () => Promise<FeedCacheApi>;
}

export const FEED_CACHE_NAME = 'chapar-feeds';
const DEFAULT_TTL_SECONDS = 3600;

const HASH = 'X-Chapar-Hash';
const LAST_MODIFIED = 'X-Chapar-Last-Modified';
const MAX_AGE = 'X-Chapar-Max-Age';
const LINKS = 'X-Chapar-Links';

export class CacheApiFeedStore {
  readonly #release: string;
  readonly #ttlSeconds: number;
  readonly #open: () => Promise<FeedCacheApi>;
  readonly #puts = new Set<Promise<void>>();

  constructor(options: CacheApiFeedStoreOptions) {
    this.#release = options.release;
    this.#ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    this.#open = options.open ?? (() => (globalThis as unknown as { caches: { open(name: string): Promise<FeedCacheApi> } }).caches.open(FEED_CACHE_NAME));
  }

  /** Puts still under way; the Worker entry hands them to ctx.waitUntil after each response. */
  get pending(): number {
    return this.#puts.size;
  }

  /** Resolves once every put under way has ended; never rejects (FeedCache logs the failures). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#puts]);
  }

  /**
   * The store for one public origin: feeds carry their origin in every link, so each app's
   * entries are kept apart. The origin is also the key's host, one the zone's cache certainly takes.
   */
  forOrigin(origin: string): SharedFeedStore {
    const url = (key: string, version: number) => `${origin}/.chapar/feed-cache/${encodeURIComponent(this.#release)}/${version}/${encodeURIComponent(key)}`;
    return {
      get: async (key, version) => {
        const cache = await this.#open();
        const response = await cache.match(url(key, version));
        return response ? readFeed(response) : undefined;
      },
      put: (key, version, feed) => {
        const work = this.#open().then((cache) => cache.put(url(key, version), feedResponse(feed, this.#ttlSeconds)));
        this.#puts.add(work);
        const done = () => {
          this.#puts.delete(work);
        };
        work.then(done, done);
        return work;
      },
    };
  }
}

function feedResponse(feed: RenderedFeed, ttlSeconds: number): Response {
  return new Response(feed.identity, {
    headers: {
      'Content-Type': feed.contentType,
      'Cache-Control': `max-age=${ttlSeconds}`,
      [HASH]: feed.hash,
      [LAST_MODIFIED]: String(feed.lastModified.getTime()),
      [MAX_AGE]: String(feed.maxAgeSeconds),
      // Link values hold commas and could hold non-Latin-1 text: JSON, percent-encoded.
      [LINKS]: encodeURIComponent(JSON.stringify(feed.links)),
    },
  });
}

async function readFeed(response: Response): Promise<RenderedFeed> {
  const header = (name: string) => {
    const value = response.headers.get(name);
    if (value === null) throw new Error(`worker-cache: cached feed lacks ${name}; it will be rendered again`);
    return value;
  };
  const lastModified = Number(header(LAST_MODIFIED));
  const maxAgeSeconds = Number(header(MAX_AGE));
  const links: unknown = JSON.parse(decodeURIComponent(header(LINKS)));
  if (!Number.isFinite(lastModified) || !Number.isFinite(maxAgeSeconds) || !Array.isArray(links) || !links.every((l) => typeof l === 'string')) {
    throw new Error('worker-cache: cached feed has malformed headers; it will be rendered again');
  }
  return {
    hash: header(HASH),
    lastModified: new Date(lastModified),
    contentType: header('Content-Type'),
    maxAgeSeconds,
    links,
    identity: new Uint8Array(await response.arrayBuffer()),
    coded: {},
  };
}
