/**
 * Rendered feeds kept as bytes, per (feed, format, query), with their validators. Entries are
 * tied to the publish version (see items.publishVersion): a change anywhere drops them all, and
 * since ETags hash the bytes, a feed the change did not touch re-renders to the same ETag and
 * its readers still get 304s.
 */
import type { Logger } from '../http/observe.ts';
import type { Bytes, Coding, Compressor } from './compress.ts';
import { ByteLru } from './lru.ts';

export interface RenderedFeed {
  /** Hash of the identity bytes; each coding's ETag derives from it. */
  hash: string;
  lastModified: Date;
  contentType: string;
  maxAgeSeconds: number;
  /** Link header values: self, hubs, RFC 5005 paging. */
  links: string[];
  identity: Bytes;
  coded: Partial<Record<Coding, Bytes>>;
}

/**
 * A second tier shared by every isolate or process that can reach it (on Workers, the Cache API
 * of one colo), asked after the in-memory LRU misses and before rendering. Entries are filed
 * under the publish version, so a change makes the old ones unreachable. Its failures never fail
 * a request: they are logged and the feed is rendered.
 */
export interface SharedFeedStore {
  get(key: string, version: number): Promise<RenderedFeed | undefined>;
  /**
   * Runs on after the response. A runtime that cuts work off there must keep the store's puts
   * alive itself (Workers: the entry hands them to ctx.waitUntil, like click and poll flushes).
   */
  put(key: string, version: number, feed: RenderedFeed): Promise<void>;
}

export interface FeedCacheOptions {
  /** Budget for every stored body, identity and compressed. */
  maxBytes: number;
  compressor: Compressor;
  /** Told whether each lookup found rendered bytes in memory, for the hit ratio in /metrics. */
  onLookup?: (hit: boolean) => void;
  shared?: SharedFeedStore;
  /** Where shared-store failures are reported. */
  log?: Logger;
}

/**
 * 16 MiB: about 250 renderings of 62 KB with their gzip and brotli copies, far more than the feeds
 * and formats a server publishes; what is beyond (query variants) churns. Kept small for memory
 * (issue 9: ≤ 200 MB resident with 1M items; a 32 MiB budget, filled by the bench's many query
 * URLs, put it at 188–205 MB).
 */
export const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;

const sizeOf = (feed: RenderedFeed) => feed.identity.byteLength + Object.values(feed.coded).reduce((n, b) => n + b.byteLength, 0);

export class FeedCache {
  readonly #lru: ByteLru<RenderedFeed>;
  readonly #compressor: Compressor;
  readonly #onLookup: (hit: boolean) => void;
  readonly #shared: SharedFeedStore | undefined;
  readonly #log: Logger;
  #version = -1;
  readonly #rendering = new Map<string, Promise<RenderedFeed>>();
  readonly #compressing = new Map<string, Promise<Bytes>>();

  constructor(options: FeedCacheOptions) {
    this.#lru = new ByteLru(options.maxBytes);
    this.#compressor = options.compressor;
    this.#onLookup = options.onLookup ?? (() => {});
    this.#shared = options.shared;
    this.#log = options.log ?? (() => {});
  }

  get bytes(): number {
    return this.#lru.bytes;
  }

  /**
   * The cached rendering for this key at this version: from memory, else from the shared store,
   * else the one `render` makes (once, however many requests ask at the same moment), which is
   * then offered to the shared store without waiting for it. Read the version before anything
   * `render` reads, so that what is stored is never older than the version it is filed under.
   */
  async get(key: string, version: number, render: () => Promise<RenderedFeed>): Promise<RenderedFeed> {
    if (version > this.#version) {
      this.#lru.clear();
      this.#rendering.clear();
      this.#version = version;
    }
    const hit = this.#lru.get(key);
    this.#onLookup(hit !== undefined);
    if (hit) return hit;
    const flightKey = `${version}\n${key}`;
    let pending = this.#rendering.get(flightKey);
    if (!pending) {
      pending = this.#fetch(key, version, render).finally(() => this.#rendering.delete(flightKey));
      this.#rendering.set(flightKey, pending);
      const feed = await pending;
      // A render that began before a newer version arrived is served but not kept.
      if (version === this.#version) this.#lru.set(key, feed, sizeOf(feed));
      return feed;
    }
    return pending;
  }

  async #fetch(key: string, version: number, render: () => Promise<RenderedFeed>): Promise<RenderedFeed> {
    const shared = this.#shared;
    if (!shared) return render();
    try {
      const stored = await shared.get(key, version);
      if (stored) return stored;
    } catch (error) {
      this.#log('warn', 'publish: shared feed cache read failed; rendering instead', { key, version, error: String(error) });
    }
    const feed = await render();
    const failed = (error: unknown) => this.#log('warn', 'publish: shared feed cache write failed', { key, version, error: String(error) });
    try {
      shared.put(key, version, feed).catch(failed);
    } catch (error) {
      failed(error);
    }
    return feed;
  }

  /**
   * The rendering kept for this key if it is filed under exactly this version, without rendering
   * or waiting: what the front (src/http/front.ts) replays. Counted as a hit when found; a miss
   * is left for `get` to count.
   */
  peek(key: string, version: number): RenderedFeed | undefined {
    if (version !== this.#version) return undefined;
    const hit = this.#lru.get(key);
    if (hit) this.#onLookup(true);
    return hit;
  }

  /** The feed's bytes in this coding, compressed once and kept beside the identity bytes. */
  async coded(key: string, feed: RenderedFeed, coding: Coding): Promise<Bytes> {
    const done = feed.coded[coding];
    if (done) return done;
    const compress = this.#compressor[coding];
    if (!compress) throw new Error(`publish: no ${coding} compressor`);
    const flightKey = `${coding}\n${feed.hash}\n${key}`;
    let pending = this.#compressing.get(flightKey);
    if (!pending) {
      pending = compress(feed.identity)
        .then((bytes) => {
          if (!feed.coded[coding]) {
            feed.coded[coding] = bytes;
            if (this.#lru.peek(key) === feed) this.#lru.grow(key, bytes.byteLength);
          }
          return bytes;
        })
        .finally(() => this.#compressing.delete(flightKey));
      this.#compressing.set(flightKey, pending);
    }
    return pending;
  }
}

/**
 * Reads the publish version, at most once per `recheckMs` (0: on every request, which costs one
 * primary-key read and sees another process's writes at once).
 */
export function versionReader(read: () => Promise<number>, recheckMs: number, clock: () => number = Date.now): () => Promise<number> {
  let last: { value: number; at: number } | null = null;
  return async () => {
    if (last && recheckMs > 0 && clock() - last.at < recheckMs) return last.value;
    const value = await read();
    last = { value, at: clock() };
    return value;
  };
}
