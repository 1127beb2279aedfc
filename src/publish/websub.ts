/**
 * WebSub publisher side: when items change, tell each configured hub which feed URLs changed
 * (`hub.mode=publish`, `hub.url=<feed URL>`), so subscribers hear within seconds instead of at
 * their next poll. Runs off the request path, retries with backoff, and never throws: a hub
 * that is down must not fail or slow an ingest.
 */
import type { FeedFormat, PublishedFeed } from '../core/types.ts';
import type { AppDeps } from '../app-types.ts';
import type { Repos } from '../db/repos/index.ts';

export interface WebSubOptions {
  /** Waits before each attempt; its length is the number of attempts. Default: 0, 2 s, 10 s, 1 min, 5 min. */
  delaysMs?: number[];
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

export interface WebSubDeps {
  repos: Repos;
  config: { baseUrl: string; websubHubs: string[] };
  websub?: WebSubOptions;
}

export interface PingResult {
  hub: string;
  url: string;
  ok: boolean;
  attempts: number;
  /** Last HTTP status, or null when the hub never answered. */
  status: number | null;
}

const FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];
const DEFAULT_DELAYS_MS = [0, 2_000, 10_000, 60_000, 300_000];

/** Timers that do not keep a Node process alive during shutdown; Workers have no unref. */
const sleep = (ms: number) =>
  ms <= 0
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms) as unknown as { unref?: () => void };
        timer.unref?.();
      });

/** The topic URLs of a feed: one per format, without a query, as the feed advertises them. */
export function topicUrls(baseUrl: string, slug: string): string[] {
  return FORMATS.map((format) => `${baseUrl}/feeds/${slug}.${format}`);
}

/** Published feeds whose saved filter selects any of these items ('all': every feed). */
export async function feedsContaining(repos: Repos, changed: number[] | 'all'): Promise<PublishedFeed[]> {
  const feeds = await repos.feeds.list();
  if (changed === 'all') return feeds;
  if (changed.length === 0) return [];
  const hit: PublishedFeed[] = [];
  for (const feed of feeds) if ((await repos.items.matching([feed.filter], changed)).length > 0) hit.push(feed);
  return hit;
}

/** 429 and 5xx are worth another try; other 4xx mean the hub refuses the request as it is. */
const retryable = (status: number) => status === 429 || status >= 500;

async function pingOnce(hub: string, url: string, options: WebSubOptions): Promise<number> {
  const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url });
  const response = await (options.fetch ?? fetch)(hub, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'follow',
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  await response.body?.cancel();
  return response.status;
}

/** Tells one hub about one topic URL, retrying failures; resolves with what happened, never rejects. */
export async function pingHub(hub: string, url: string, options: WebSubOptions = {}): Promise<PingResult> {
  const delays = options.delaysMs ?? DEFAULT_DELAYS_MS;
  const log = options.log ?? ((line: string) => console.warn(line));
  let status: number | null = null;
  for (let attempt = 1; attempt <= delays.length; attempt++) {
    await sleep(delays[attempt - 1] ?? 0);
    let problem: string;
    try {
      status = await pingOnce(hub, url, options);
      if (status >= 200 && status < 300) return { hub, url, ok: true, attempts: attempt, status };
      problem = `answered ${status}`;
      if (!retryable(status)) {
        log(`websub: hub ${hub} ${problem} for ${url}; not retrying (the hub refuses the request)`);
        return { hub, url, ok: false, attempts: attempt, status };
      }
    } catch (error) {
      problem = `failed (${(error as Error).message})`;
    }
    const next = delays[attempt];
    log(
      next === undefined
        ? `websub: hub ${hub} ${problem} for ${url}; giving up after ${attempt} attempts, subscribers will see the change at their next poll`
        : `websub: hub ${hub} ${problem} for ${url}; retry ${attempt} of ${delays.length - 1} in ${Math.round(next / 1000)} s`,
    );
  }
  return { hub, url, ok: false, attempts: delays.length, status };
}

/**
 * Pings every configured hub for every format URL of each feed the changed items belong to.
 * Call it after items are stored (new, updated or deleted) with their ids, or 'all' after a change
 * that may touch any feed. Returns at once; the promise resolves when every ping has succeeded or
 * given up (hand it to `waitUntil` on Workers; on Node it may be ignored). Never rejects.
 */
export function notifyFeedsChanged(deps: WebSubDeps, changed: number[] | 'all'): Promise<PingResult[]> {
  const hubs = deps.config.websubHubs;
  if (hubs.length === 0 || (changed !== 'all' && changed.length === 0)) return Promise.resolve([]);
  const log = deps.websub?.log ?? ((line: string) => console.warn(line));
  return (async () => {
    try {
      const feeds = await feedsContaining(deps.repos, changed);
      const urls = feeds.flatMap((feed) => topicUrls(deps.config.baseUrl, feed.slug));
      return await Promise.all(hubs.flatMap((hub) => urls.map((url) => pingHub(hub, url, deps.websub))));
    } catch (error) {
      log(`websub: could not work out which feeds changed: ${(error as Error).message}`);
      return [];
    }
  })();
}

/**
 * The app's `onItemsChanged`: pings the hubs for the feeds those items belong to, then passes
 * the ids on to the runtime's own listener. When caches re-read the publish version only every
 * `recheckMs`, the first ping waits that long, so a hub never fetches the feed as it was.
 */
export function itemsChangedHook(deps: AppDeps): (ids: number[]) => Promise<unknown> {
  const options = deps.publish?.websub ?? {};
  const recheckMs = deps.publish?.recheckMs ?? 0;
  const [first = 0, ...rest] = options.delaysMs ?? DEFAULT_DELAYS_MS;
  const websub: WebSubOptions = {
    ...options,
    delaysMs: [Math.max(first, recheckMs), ...rest],
    log: options.log ?? ((line) => deps.log?.('warn', line)),
  };
  return (ids) => Promise.all([notifyFeedsChanged({ repos: deps.repos, config: deps.config, websub }, ids), deps.onItemsChanged?.(ids)]);
}
