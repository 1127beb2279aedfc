/**
 * The answer to a feed request from its rendered bytes: validators, caching and CORS headers,
 * 304 or 200. Shared by the feed route and the front (src/http/front.ts), so both send the same
 * bytes under the same headers; each rendering's headers are built once per coding.
 */
import type { RenderedFeed } from './cache.ts';
import type { Bytes } from './compress.ts';
import { isNotModified, variantTag, type Encoding } from './conditional.ts';

export interface FeedConditionals {
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
}

interface CodingHeaders {
  etag: string;
  notModified: Readonly<Record<string, string>>;
  /** Built with the first 200 in this coding, when its length is known. */
  ok?: Readonly<Record<string, string>>;
}

const built = new WeakMap<RenderedFeed, Partial<Record<Encoding, CodingHeaders>>>();

function headersFor(feed: RenderedFeed, coding: Encoding): CodingHeaders {
  let codings = built.get(feed);
  if (!codings) built.set(feed, (codings = {}));
  const done = codings[coding];
  if (done) return done;
  const etag = variantTag(feed.hash, coding);
  const notModified = Object.freeze({
    ETag: etag,
    'Last-Modified': feed.lastModified.toUTCString(),
    'Cache-Control': `public, max-age=${feed.maxAgeSeconds}, stale-while-revalidate=${feed.maxAgeSeconds}, stale-if-error=86400`,
    Vary: 'Accept-Encoding',
    Link: feed.links.join(', '),
    // Web-based readers fetch feeds from their own origin.
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'ETag, Link',
  });
  return (codings[coding] = { etag, notModified });
}

function okHeaders(feed: RenderedFeed, coding: Encoding, headers: CodingHeaders, bytes: Bytes): Readonly<Record<string, string>> {
  headers.ok ??= Object.freeze({
    ...headers.notModified,
    ...(coding === 'identity' ? {} : { 'Content-Encoding': coding }),
    'Content-Type': feed.contentType,
    'Content-Length': String(bytes.byteLength),
    'X-Content-Type-Options': 'nosniff',
  });
  return headers.ok;
}

export interface FeedAnswer {
  status: 200 | 304;
  headers: Readonly<Record<string, string>>;
  body: Bytes | null;
}

/**
 * 304 when the client's copy is current, else 200 with `bytes` (the rendering in `coding`).
 * `bytes` is asked for only when needed: it returns undefined when the coding is not at hand
 * yet, and then so does this.
 */
export function answerFeed(feed: RenderedFeed, coding: Encoding, conditionals: FeedConditionals, bytes: () => Bytes | undefined): FeedAnswer | undefined {
  const headers = headersFor(feed, coding);
  if (isNotModified(conditionals, headers.etag, feed.lastModified)) return { status: 304, headers: headers.notModified, body: null };
  const body = bytes();
  if (body === undefined) return undefined;
  return { status: 200, headers: okHeaders(feed, coding, headers, body), body };
}
