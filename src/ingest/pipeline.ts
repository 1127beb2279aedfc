/**
 * One refresh of one source, read top to bottom as Miniflux's RefreshFeed is:
 * lease → fetch → decode → fingerprint → parse → normalise → categorise → store → schedule.
 * Each stage is a small function of its own module; this file only orders them and turns
 * every outcome into the source's stored state. Nothing here deletes or rewrites stored items
 * on failure: a bad fetch or a malformed feed only changes the source's own fetch state.
 */
import { clampDate } from '../core/dates.ts';
import { matchLabels } from '../core/categorise.ts';
import { NotFoundError } from '../core/errors.ts';
import { hashText } from '../core/hash.ts';
import { compileRules, matchRules } from '../core/rules.ts';
import type { ParsedFeed, ParsedItem } from '../core/types.ts';
import { stripTracking } from '../core/urls.ts';
import type { Repos } from '../db/repos/index.ts';
import type { FetchState, Source } from '../db/repos/sources.ts';
import type { Logger } from '../http/observe.ts';
import { decodeBody } from './decode.ts';
import { nextCheckAfterFailure } from './backoff.ts';
import { fetchFeed, type FetchOptions, type FetchResult } from './fetch.ts';
import { bodyFingerprint } from './fingerprint.ts';
import { fetchHtmlItems, HostGate, RobotsCache, storedArticleUrls } from './html/source.ts';
import { parseFeed } from './parse.ts';
import { prepareItem, type RawItem } from './prepare.ts';
import type { Resolve } from './ssrf.ts';

/** What an operator may tune; every field has a default. */
export interface IngestOptions {
  /** Lets sources live on loopback/private addresses (CHAPAR_FETCH_ALLOW_PRIVATE). Default false. */
  allowPrivate?: boolean;
  /** DNS for the SSRF guard; Node passes resolveWithNodeDns. */
  resolve?: Resolve;
  fetchImpl?: typeof fetch;
  userAgent?: string;
  /** Whole-fetch deadline in ms (default 20 s). */
  timeoutMs?: number;
  /** Failures in a row after which a source is disabled (default 10). */
  maxErrors?: number;
  /** How long one refresh may hold its source's lease (default 15 min: an HTML crawl pauses between pages). */
  leaseMs?: number;
}

export interface IngestDeps {
  repos: Repos;
  now?: () => Date;
  ingest?: IngestOptions;
  log?: Logger;
  /** Told the ids of items stored as new or updated (WebSub pings, caches). */
  onItemsChanged?: (ids: number[]) => void;
  /** Politeness state for HTML sources; one per process by default, so sites take turns across polls. */
  html?: { gate?: HostGate; robots?: RobotsCache };
}

const processGate = new HostGate();
const processRobots = new RobotsCache();

/**
 * `ok`: fetched and stored; `not-modified`: a 304 or a body identical to the last one;
 * `gone`: a 410, the source is no longer polled; `retry-later`: a 429/503; `error`: anything
 * else that failed; `busy`: another tick or process holds the source right now.
 */
export type IngestStatus = 'ok' | 'not-modified' | 'gone' | 'retry-later' | 'error' | 'busy';

export interface IngestResult {
  sourceId: number;
  status: IngestStatus;
  new: number;
  updated: number;
  unchanged: number;
  error?: string;
  nextCheckAt: Date | null;
}

interface Outcome {
  result: IngestResult;
  state: FetchState;
  changedIds: number[];
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const RETRY_AFTER_CAP = 7 * DAY;

interface Settings {
  now: () => Date;
  fetch: FetchOptions;
  maxErrors: number;
  leaseMs: number;
}

function resolveSettings(deps: IngestDeps): Settings {
  const opts = deps.ingest ?? {};
  const now = deps.now ?? (() => new Date());
  return { now, fetch: fetchOptions(opts, now), maxErrors: opts.maxErrors ?? 10, leaseMs: opts.leaseMs ?? 15 * MINUTE };
}

/** The fetch stage's options from the ingest ones (also used to discover a new source's feed). */
export function fetchOptions(opts: IngestOptions = {}, now?: () => Date): FetchOptions {
  const out: FetchOptions = { allowPrivate: opts.allowPrivate ?? false };
  if (now) out.now = now;
  if (opts.resolve) out.resolve = opts.resolve;
  if (opts.fetchImpl) out.fetchImpl = opts.fetchImpl;
  if (opts.userAgent) out.userAgent = opts.userAgent;
  if (opts.timeoutMs) out.timeoutMs = opts.timeoutMs;
  return out;
}

/**
 * Refreshes one source. Never throws for upstream trouble: that becomes the result's status
 * and the source's stored error. Throws NotFoundError for an unknown source id.
 */
export async function ingestSource(deps: IngestDeps, sourceId: number): Promise<IngestResult> {
  const settings = resolveSettings(deps);
  const owner = crypto.randomUUID();
  const source = await deps.repos.sources.lease(sourceId, owner, settings.leaseMs, settings.now());
  if (!source) {
    if (!(await deps.repos.sources.byId(sourceId))) throw new NotFoundError(`ingest: no source ${sourceId}`);
    return { sourceId, status: 'busy', new: 0, updated: 0, unchanged: 0, nextCheckAt: null };
  }

  const at = settings.now();
  let outcome: Outcome;
  try {
    outcome = await refresh(deps, settings, source, at);
  } catch (error) {
    // Our own trouble (the database, a bug), not the upstream's: recorded the same way, so the
    // lease is given back and the source tried again later.
    const reason = error instanceof Error ? error.message : String(error);
    outcome = failure(source, at, settings, 'error', `ingest: source ${source.id} could not be stored (${reason})`);
  }

  await deps.repos.sources.finishFetch(source.id, owner, outcome.state);
  const { result } = outcome;
  deps.log?.(result.error ? 'warn' : 'info', 'ingest', {
    sourceId: source.id,
    status: result.status,
    new: result.new,
    updated: result.updated,
    unchanged: result.unchanged,
    ...(result.error ? { error: result.error } : {}),
  });
  if (outcome.changedIds.length > 0) deps.onItemsChanged?.(outcome.changedIds);
  return result;
}

/** Conditional unless a day has passed since the last unconditional fetch. */
const isConditional = (source: Source, at: Date) => source.lastUnconditionalAt !== null && at.getTime() - source.lastUnconditionalAt.getTime() < DAY;

async function refresh(deps: IngestDeps, settings: Settings, source: Source, at: Date): Promise<Outcome> {
  if (source.kind === 'html') return refreshHtml(deps, settings, source, at);
  const conditional = isConditional(source, at);
  const fetched = await fetchFeed(
    { url: source.url, etag: conditional ? source.etag : null, lastModified: conditional ? source.lastModified : null },
    settings.fetch,
  );
  if (fetched.kind !== 'ok') return unfetched(source, at, settings, fetched);
  const validators: FetchState = {
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    ...(conditional ? {} : { lastUnconditionalAt: at }),
  };

  // Decode, then skip the parse when the body is the one already stored.
  const { text } = decodeBody(fetched.bytes, { contentType: fetched.contentType, fallbackCharset: source.charset });
  const bodyHash = await bodyFingerprint(text);
  const ttlSeconds = Math.max(fetched.ttlHintSeconds ?? 0, (feedTtlMinutes(text) ?? 0) * 60);
  if (bodyHash === source.bodyHash) return success(source, at, 'not-modified', validators, ttlSeconds);

  // Parse.
  let feed: ParsedFeed;
  try {
    feed = await parseFeed(text, fetched.url, { ...(source.timeZone ? { timeZone: source.timeZone } : {}), now: at });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure(source, at, settings, 'error', `ingest: source ${source.id} sent nothing Chapar can read as a feed (${reason})`);
  }

  // Normalise, categorise, store.
  const raws = withIdentityFallbacks(feed.items).map((item) => toRawItem(item, at));
  const stored = await store(deps, source, raws, fetched.url, at);

  const found: FetchState = { ...validators, bodyHash };
  if (!source.title && feed.feed.title) found.title = feed.feed.title;
  if (!source.siteUrl && feed.feed.link) found.siteUrl = feed.feed.link;
  const outcome = success(source, at, 'ok', found, ttlSeconds);
  return { ...outcome, result: { ...outcome.result, ...stored.counted }, changedIds: stored.changedIds };
}

/** An HTML source: its listing and new articles, read politely (html/), then the same store. */
async function refreshHtml(deps: IngestDeps, settings: Settings, source: Source, at: Date): Promise<Outcome> {
  const conditional = isConditional(source, at);
  const crawled = await fetchHtmlItems(
    { url: source.url, options: source.options, charset: source.charset, timeZone: source.timeZone, etag: conditional ? source.etag : null, lastModified: conditional ? source.lastModified : null },
    { fetch: settings.fetch, now: settings.now, known: storedArticleUrls(deps.repos, source.id), gate: deps.html?.gate ?? processGate, robots: deps.html?.robots ?? processRobots },
  );
  if (crawled.outcome.kind !== 'ok') return unfetched(source, at, settings, crawled.outcome);
  const stored = await store(deps, source, crawled.items, crawled.outcome.url, at);
  const found: FetchState = {
    etag: crawled.validators?.etag ?? null,
    lastModified: crawled.validators?.lastModified ?? null,
    ...(conditional ? {} : { lastUnconditionalAt: at }),
  };
  const outcome = success(source, at, 'ok', found, null);
  return { ...outcome, result: { ...outcome.result, ...stored.counted }, changedIds: stored.changedIds };
}

/** Every answer but a body: unchanged, gone, come back later, or failed. */
function unfetched(source: Source, at: Date, settings: Settings, fetched: Exclude<FetchResult, { kind: 'ok' }>): Outcome {
  switch (fetched.kind) {
    case 'not-modified':
      return success(source, at, 'not-modified', { etag: fetched.etag, lastModified: fetched.lastModified }, ttlFromCacheControl(fetched.cacheControl));
    case 'gone':
      return gone(source, at);
    case 'retry-later':
      return failure(source, at, settings, 'retry-later', retryLaterMessage(source, fetched), fetched.retryAfter);
    case 'error':
      return failure(source, at, settings, 'error', `ingest: source ${source.id}: ${fetched.message.replace(/; will retry at the next poll$/, '')}`);
  }
}

/**
 * Normalises and categorises the items (the source's own categories, labels matched by name
 * or alias, rules) and stores them all or nothing.
 */
async function store(deps: IngestDeps, source: Source, raws: RawItem[], baseUrl: string, at: Date) {
  const categories = await deps.repos.categories.list({ limit: 100_000 });
  const rules = compileRules(await deps.repos.rules.all());
  const prepared = raws.map((raw) =>
    prepareItem(raw, {
      sourceId: source.id,
      categoryIds: [...source.categoryIds, ...matchLabels(raw.labels ?? [], categories)],
      baseUrl,
      now: at,
      categorise: (subject) => matchRules(subject, rules),
    }),
  );
  const stored = prepared.length > 0 ? await deps.repos.items.upsert(prepared) : [];
  const counted = { new: 0, updated: 0, unchanged: 0 };
  const changedIds: number[] = [];
  for (const { outcome, id } of stored) {
    if (outcome === 'new' || outcome === 'updated') {
      counted[outcome]++;
      changedIds.push(id);
    } else counted.unchanged++;
  }
  return { counted, changedIds };
}

function toRawItem(item: ParsedItem, at: Date): RawItem {
  return {
    guid: item.guid,
    title: item.title,
    url: item.url,
    summary: item.summary,
    content: item.content,
    author: item.author,
    publishedAt: readDate(item.publishedAt, at),
    updatedAt: readDate(item.updatedAt, at),
    labels: item.categories,
    enclosures: item.enclosures ?? [],
  };
}

function readDate(iso: string | null, at: Date): Date | null {
  if (iso === null) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : clampDate(date, at);
}

/**
 * FreshRSS's fallback: a guid that several items of one document share identifies none of
 * them, so those items go by their link, and when links repeat too, by a hash of title and date.
 */
export function withIdentityFallbacks(items: ParsedItem[]): ParsedItem[] {
  const guidOf = (item: ParsedItem) => item.guid?.trim() || null;
  const urlOf = (item: ParsedItem) => (item.url ? stripTracking(item.url) : null);
  const guids = countBy(items, guidOf);
  const urls = countBy(items, urlOf);
  return items.map((item) => {
    const guid = guidOf(item);
    if (guid !== null && guids.get(guid) === 1) return item;
    const url = urlOf(item);
    if (url !== null && urls.get(url) === 1) return { ...item, guid: null };
    if (guid === null && url === null) return item;
    return { ...item, guid: `urn:chapar:${hashText(`${item.title ?? ''}\n${item.publishedAt ?? ''}`)}` };
  });
}

function countBy<T>(values: T[], key: (value: T) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    const k = key(value);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function success(source: Source, at: Date, status: 'ok' | 'not-modified', found: FetchState, ttlSeconds: number | null): Outcome {
  const nextCheckAt = nextCheckAfterSuccess(source.intervalMinutes, at, ttlSeconds);
  return {
    result: { sourceId: source.id, status, new: 0, updated: 0, unchanged: 0, nextCheckAt },
    state: { ...found, state: 'active', lastStatus: status, lastFetchedAt: at, lastSuccessAt: at, errorCount: 0, nextCheckAt },
    changedIds: [],
  };
}

function gone(source: Source, at: Date): Outcome {
  const error = `ingest: source ${source.id} (${source.url}) answered 410 Gone; it is no longer polled, PATCH it with {"state":"active"} to try again`;
  return {
    result: { sourceId: source.id, status: 'gone', new: 0, updated: 0, unchanged: 0, error, nextCheckAt: null },
    state: { state: 'gone', lastStatus: 'gone', lastFetchedAt: at, lastError: error, lastErrorAt: at, errorCount: source.errorCount + 1, nextCheckAt: null },
    changedIds: [],
  };
}

/**
 * A failed refresh: counted, backed off exponentially (or as Retry-After says, never sooner
 * than the usual interval), and after `maxErrors` in a row the source is disabled.
 */
function failure(source: Source, at: Date, settings: Settings, status: 'error' | 'retry-later', detail: string, retryAfter: Date | null = null): Outcome {
  const errorCount = source.errorCount + 1;
  const disabled = source.state === 'active' && errorCount >= settings.maxErrors;
  const nextCheckAt = disabled ? null : retryAfter ? retryTime(retryAfter, source.intervalMinutes, at) : nextCheckAfterFailure(errorCount, source.intervalMinutes, at);
  const error = disabled
    ? `${detail}; disabled after ${errorCount} failures in a row, PATCH it with {"state":"active"} to try again`
    : `${detail}; will retry at ${nextCheckAt!.toISOString()}`;
  return {
    result: { sourceId: source.id, status, new: 0, updated: 0, unchanged: 0, error, nextCheckAt },
    state: {
      state: disabled ? 'disabled' : source.state,
      lastStatus: status,
      lastFetchedAt: at,
      lastError: error,
      lastErrorAt: at,
      errorCount,
      nextCheckAt,
    },
    changedIds: [],
  };
}

function retryLaterMessage(source: Source, fetched: Extract<FetchResult, { kind: 'retry-later' }>): string {
  const asked = fetched.retryAfter ? ` and asked to come back after ${fetched.retryAfter.toISOString()}` : '';
  return `ingest: source ${source.id} (${fetched.url}) answered ${fetched.status}${asked}`;
}

function retryTime(retryAfter: Date, intervalMinutes: number, at: Date): Date {
  const asked = Math.min(retryAfter.getTime(), at.getTime() + RETRY_AFTER_CAP);
  return new Date(Math.max(asked, at.getTime() + intervalMinutes * MINUTE));
}

/**
 * The source's interval, stretched (never shortened) by what the upstream says about its
 * freshness, `<ttl>` or Cache-Control, up to a day.
 */
export function nextCheckAfterSuccess(intervalMinutes: number, at: Date, ttlSeconds: number | null): Date {
  const base = Math.max(1, intervalMinutes) * MINUTE;
  const hinted = Math.min((ttlSeconds ?? 0) * 1000, DAY);
  return new Date(at.getTime() + Math.max(base, hinted));
}

/** RSS `<ttl>` (minutes) from the channel, read before the first item. */
export function feedTtlMinutes(text: string): number | null {
  const firstItem = text.search(/<(?:[\w-]+:)?(?:item|entry)[\s>]/);
  const head = firstItem === -1 ? text : text.slice(0, firstItem);
  const ttl = /<ttl>\s*(\d{1,7})\s*<\/ttl>/i.exec(head)?.[1];
  return ttl === undefined ? null : Number(ttl);
}

function ttlFromCacheControl(cacheControl: string | null): number | null {
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? '')?.[1];
  return maxAge === undefined ? null : Number(maxAge);
}
