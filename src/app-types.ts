import type { Context } from 'hono';
import type { Repos } from './db/repos/index.ts';
import type { IngestOptions } from './ingest/pipeline.ts';
import type { SharedFeedStore } from './publish/cache.ts';
import type { Compressor } from './publish/compress.ts';
import type { WebSubOptions } from './publish/websub.ts';
import type { Metrics } from './http/metrics.ts';
import type { Logger } from './http/observe.ts';
import type { TrafficRecorder } from './shortlinks/traffic.ts';

export interface AppConfig {
  /** Public origin without a trailing slash, e.g. `https://chapar.example`. */
  baseUrl: string;
  websubHubs: string[];
  version: string;
  /** Lets sources live on loopback/private addresses (CHAPAR_FETCH_ALLOW_PRIVATE); default false. */
  fetchAllowPrivate?: boolean;
  /** Fetch and scheduling tunables (DNS for the SSRF guard, auto-disable threshold, ...). */
  ingest?: IngestOptions;
}

/** Everything the app needs from its runtime; built by src/runtime/*. */
export interface AppDeps {
  repos: Repos;
  config: AppConfig;
  now?: () => Date;
  /** Prometheus registry shared with the runtime's own gauges; one is made when absent. */
  metrics?: Metrics;
  /** Structured logger; silent when absent (tests). */
  log?: Logger;
  /**
   * Buffers short-link clicks and feed polls; the runtime calls `flush()` on a timer and at
   * shutdown, before the database closes. When absent, one is made that writes after every request.
   */
  traffic?: TrafficRecorder;
  /** The client's address as the runtime sees it, for subscriber estimates (hashed, never stored). */
  clientIp?: (c: Context) => string | null | undefined;
  /**
   * Told the ids of items a push stored, changed or deleted; the app adds its WebSub pings.
   * A returned promise is kept alive past the response (waitUntil on Workers).
   */
  onItemsChanged?: (ids: number[]) => void | Promise<unknown>;
  /** Compression of published feeds; default gzip via CompressionStream. Node adds brotli. */
  compress?: Compressor;
  publish?: PublishOptions;
}

export interface PublishOptions {
  /** Byte budget of the rendered-feed cache (default 16 MiB). */
  cacheBytes?: number;
  /** Re-read the publish version at most this often, in ms (default 0: every request). */
  recheckMs?: number;
  /**
   * The same for the front (src/http/front.ts), which re-reads at once after this process's
   * own writes anyway: bounds how late another process's writes show (default 1000 ms).
   */
  frontRecheckMs?: number;
  /** Rendered feeds shared between isolates, behind the in-memory cache (the Cache API on Workers). */
  sharedCache?: SharedFeedStore;
  websub?: WebSubOptions;
}

export type AppEnv = {
  Variables: {
    tokenId: number;
  };
};
