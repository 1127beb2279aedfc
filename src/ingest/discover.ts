/**
 * Adding a source the way a reader expects: paste a site's address, get its feed. A page is
 * fetched once; when it is HTML, its `<link rel="alternate">` feed links name the real source.
 */
import { ValidationError } from '../core/errors.ts';
import type { SourceKind } from '../db/schema.ts';
import type { Source, SourceInput } from '../db/repos/sources.ts';
import type { Repos } from '../db/repos/index.ts';
import { decodeBody } from './decode.ts';
import { fetchFeed, type FetchOptions } from './fetch.ts';
import { checkUrl, FetchRefusedError } from './ssrf.ts';

export interface FeedLink {
  url: string;
  type: string;
  title: string | null;
}

const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json', 'application/rdf+xml', 'text/xml', 'application/xml'];

/** The feeds a page advertises, in document order, made absolute against `<base>` and the page. */
export function findFeedLinks(html: string, pageUrl: string): FeedLink[] {
  const head = html.slice(0, 512 * 1024);
  const base = absolute(tagAttributes(head, 'base')[0]?.get('href') ?? null, pageUrl) ?? pageUrl;
  const links: FeedLink[] = [];
  for (const attrs of tagAttributes(head, 'link')) {
    const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (attrs.get('type') ?? '').toLowerCase().split(';')[0]!.trim();
    if (!rel.includes('alternate') || !FEED_TYPES.includes(type)) continue;
    const url = absolute(attrs.get('href') ?? null, base);
    if (url && !links.some((l) => l.url === url)) links.push({ url, type, title: attrs.get('title')?.trim() || null });
  }
  return links;
}

/** Attributes of every `<name …>` start tag, names lowercased, values with their entities decoded. */
function tagAttributes(html: string, name: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  const tag = new RegExp(`<${name}\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`, 'gi');
  for (const match of html.matchAll(tag)) {
    const attrs = new Map<string, string>();
    for (const a of (match[1] ?? '').matchAll(/([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
      const key = a[1]!.toLowerCase();
      if (!attrs.has(key)) attrs.set(key, decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
    }
    out.push(attrs);
  }
  return out;
}

function decodeEntities(value: string): string {
  return value.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (whole, dec, hex, named) => {
    if (dec || hex) {
      const code = dec ? Number(dec) : parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[String(named).toLowerCase()] ?? whole;
  });
}

function absolute(href: string | null, base: string): string | null {
  if (!href?.trim()) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** An HTML page rather than a feed: by its declared type, else by how it starts. */
export function looksLikeHtml(text: string, contentType: string | null): boolean {
  if (/\bhtml\b/i.test(contentType ?? '') && !/xhtml\+xml/i.test(contentType ?? '')) return true;
  const start = text.replace(/^\uFEFF/, '').replace(/^\s*(?:<!--[\s\S]*?-->\s*)*/, '').slice(0, 200).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

export type Discovery =
  /** Use this URL: it is a feed, a page's feed, or could not be looked at now. */
  | { kind: 'feed'; url: string; title: string | null; via: 'given' | 'page' | 'unchecked' }
  | { kind: 'no-feed'; message: string };

/**
 * What to subscribe to for `url`. A page without feed links is refused; an address that cannot
 * be reached right now is kept as given (the first ingest will report why it fails).
 */
export async function discoverFeed(url: string, opts: FetchOptions): Promise<Discovery> {
  const fetched = await fetchFeed({ url }, { timeoutMs: 10_000, ...opts });
  if (fetched.kind !== 'ok') return { kind: 'feed', url, title: null, via: 'unchecked' };
  const { text } = decodeBody(fetched.bytes, { contentType: fetched.contentType });
  if (!looksLikeHtml(text, fetched.contentType)) return { kind: 'feed', url, title: null, via: 'given' };
  const [first] = findFeedLinks(text, fetched.url);
  if (!first) {
    return { kind: 'no-feed', message: 'is a web page that links no feed (no <link rel="alternate" type="application/rss+xml"> or Atom/JSON Feed); give the feed\'s own address' };
  }
  return { kind: 'feed', url: first.url, title: first.title, via: 'page' };
}

export interface NewSource {
  url: string;
  /** An HTML source's URL is its listing page, used as given. */
  kind?: SourceKind | undefined;
  options?: Record<string, unknown> | undefined;
  title?: string | null | undefined;
  categories?: string[] | undefined;
  intervalMinutes?: number | undefined;
  charset?: string | null | undefined;
  timeZone?: string | null | undefined;
}

/**
 * Adds a source from an admin's input (API or CLI): category slugs checked, the address
 * checked against the SSRF guard, a web page resolved to its feed. Throws ValidationError
 * (422) naming the field, ConflictError (409) when the feed is already a source.
 */
export async function addSource(repos: Repos, input: NewSource, opts: FetchOptions): Promise<Source> {
  const categoryIds = await categoryIdsFor(repos, input.categories ?? []);
  await checkSourceUrl(input.url, opts);
  const found: Discovery = input.kind === 'html' ? { kind: 'feed', url: input.url, title: null, via: 'given' } : await discoverFeed(input.url, opts);
  if (found.kind === 'no-feed') throw new ValidationError('no feed found', [{ field: 'url', message: found.message }]);
  const fields: SourceInput = { url: found.url, title: input.title ?? null, categoryIds };
  if (input.kind) fields.kind = input.kind;
  if (input.options) fields.options = input.options;
  if (input.intervalMinutes !== undefined) fields.intervalMinutes = input.intervalMinutes;
  if (input.charset !== undefined) fields.charset = input.charset;
  if (input.timeZone !== undefined) fields.timeZone = input.timeZone;
  if (found.via === 'page') fields.siteUrl = input.url;
  return repos.sources.create(fields);
}

/** The SSRF guard's verdict on a source address, as a 422 naming the `url` field. */
export async function checkSourceUrl(url: string, opts: FetchOptions): Promise<void> {
  try {
    await checkUrl(new URL(url), opts);
  } catch (error) {
    if (error instanceof FetchRefusedError) throw new ValidationError('the source address is refused', [{ field: 'url', message: error.message }]);
    throw error;
  }
}

/** Category ids for slugs, or a 422 naming each unknown one by its index. */
export async function categoryIdsFor(repos: Repos, slugs: string[], field = 'categories'): Promise<number[]> {
  const ids = await repos.categories.idsBySlugs(slugs);
  const problems = slugs.flatMap((slug, i) => (ids.has(slug) ? [] : [{ field: `${field}.${i}`, message: `no category "${slug}"` }]));
  if (problems.length > 0) throw new ValidationError('unknown categories', problems);
  return slugs.map((slug) => ids.get(slug)!);
}
