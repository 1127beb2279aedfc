import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextCheckAfterFailure } from '../../src/ingest/backoff.ts';
import { DEFAULT_USER_AGENT, fetchFeed, parseRetryAfter } from '../../src/ingest/fetch.ts';
import { bodyFingerprint } from '../../src/ingest/fingerprint.ts';
import type { FetchOptions, FetchResult } from '../../src/ingest/fetch.ts';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const RSS = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>خبر</title></channel></rss>';
const NOW = new Date('2024-03-01T12:00:00Z');

let server: Server;
let origin: string;
let port: number;
const routes = new Map<string, Route>();
let seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (route) route(req, res);
    else res.writeHead(404).end('no such route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

function route(path: string, handler: Route): string {
  routes.set(path, handler);
  return `${origin}${path}`;
}

function serve(path: string, status: number, headers: Record<string, string> = {}, body: string | Buffer = ''): string {
  return route(path, (_req, res) => res.writeHead(status, headers).end(body));
}

const local: FetchOptions = { allowPrivate: true, now: () => NOW };

/** A fetch that must never be called: the guard has to refuse before any connection. */
function noNetwork(): { fetchImpl: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    calls.push(String(input));
    throw new Error('test: the network was touched');
  }) as typeof fetch;
  return { fetchImpl, calls };
}

/**
 * Pretends `public.test` is a public host (its resolver says so) but connects to
 * the loopback server; any other host is never contacted. This is the shape of a
 * DNS-pinning fetch, and it lets a test run the guard with allowPrivate off.
 */
function viaPublicName(): { opts: FetchOptions; calls: string[] } {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(url.href);
    if (url.hostname !== 'public.test') throw new Error(`test: would have connected to ${url.host}`);
    url.hostname = '127.0.0.1';
    return fetch(url, init);
  }) as typeof fetch;
  const resolve = async (host: string): Promise<string[]> => {
    if (host === 'public.test') return ['93.184.216.34'];
    if (host === 'evil.test') return ['127.0.0.1'];
    throw new Error(`test: unknown host ${host}`);
  };
  return { opts: { allowPrivate: false, resolve, fetchImpl, now: () => NOW }, calls };
}

function expectKind<K extends FetchResult['kind']>(result: FetchResult, kind: K): Extract<FetchResult, { kind: K }> {
  expect(result.kind, JSON.stringify(result)).toBe(kind);
  return result as Extract<FetchResult, { kind: K }>;
}

describe('fetchFeed: answers', () => {
  it('200 returns the bytes, the final URL and the caching headers', async () => {
    const url = serve('/ok', 200, {
      'content-type': 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      'last-modified': 'Fri, 01 Mar 2024 10:00:00 GMT',
      'cache-control': 'public, max-age=600',
      expires: 'Fri, 01 Mar 2024 12:10:00 GMT',
    }, RSS);
    const ok = expectKind(await fetchFeed({ url }, local), 'ok');
    expect(new TextDecoder().decode(ok.bytes)).toBe(RSS);
    expect(ok).toMatchObject({
      status: 200,
      url,
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Fri, 01 Mar 2024 10:00:00 GMT',
      cacheControl: 'public, max-age=600',
      expires: new Date('2024-03-01T12:10:00Z'),
      ttlHintSeconds: 600,
    });
  });

  it('sends feed Accept, compression, a Chapar User-Agent and no validators it was not given', async () => {
    const url = serve('/headers', 200, {}, RSS);
    await fetchFeed({ url }, local);
    const headers = seen[0]?.headers ?? {};
    expect(headers.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml, application\/feed\+json/);
    expect(headers.accept).toContain('text/html;q=0.5');
    expect(headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(headers['if-none-match']).toBeUndefined();
    expect(headers['if-modified-since']).toBeUndefined();
  });

  it('304 when the validators match; they are sent and kept when the answer omits them', async () => {
    const url = route('/conditional', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Fri, 01 Mar 2024 10:00:00 GMT') {
        res.writeHead(304, { 'cache-control': 'max-age=60' }).end();
      } else res.writeHead(200).end(RSS);
    });
    const result = await fetchFeed({ url, etag: '"v1"', lastModified: 'Fri, 01 Mar 2024 10:00:00 GMT' }, local);
    expect(expectKind(result, 'not-modified')).toEqual({
      kind: 'not-modified',
      status: 304,
      url,
      etag: '"v1"',
      lastModified: 'Fri, 01 Mar 2024 10:00:00 GMT',
      cacheControl: 'max-age=60',
      expires: null,
    });
  });

  it('ttlHintSeconds falls back to Expires minus Date', async () => {
    const url = serve('/expires', 200, { date: 'Fri, 01 Mar 2024 12:00:00 GMT', expires: 'Fri, 01 Mar 2024 12:30:00 GMT' }, RSS);
    expect(expectKind(await fetchFeed({ url }, local), 'ok').ttlHintSeconds).toBe(1800);
  });

  it('410 is gone', async () => {
    const url = serve('/gone', 410);
    expect(await fetchFeed({ url }, local)).toEqual({ kind: 'gone', status: 410, url });
  });

  it('429 with Retry-After in seconds', async () => {
    const url = serve('/busy', 429, { 'retry-after': '120' });
    const result = expectKind(await fetchFeed({ url }, local), 'retry-later');
    expect(result).toMatchObject({ status: 429, retryAfter: new Date('2024-03-01T12:02:00Z') });
  });

  it('429 with Retry-After as an HTTP-date', async () => {
    const url = serve('/busy-date', 429, { 'retry-after': 'Fri, 01 Mar 2024 15:00:00 GMT' });
    const result = expectKind(await fetchFeed({ url }, local), 'retry-later');
    expect(result.retryAfter).toEqual(new Date('2024-03-01T15:00:00Z'));
  });

  it('503 is retry-later, with or without Retry-After', async () => {
    const url = serve('/down', 503);
    expect(await fetchFeed({ url }, local)).toEqual({ kind: 'retry-later', status: 503, url, retryAfter: null });
  });

  it.each([
    [500, /answered 500; will retry/],
    [404, /answered 404; the feed has moved or gone/],
    [403, /answered 403; the site wants a login or blocks Chapar/],
    [204, /answered 204, which is not a feed/],
  ])('%i is an error with the status', async (status, message) => {
    const url = serve(`/status-${status}`, status);
    const result = expectKind(await fetchFeed({ url }, local), 'error');
    expect(result.status).toBe(status);
    expect(result.message).toMatch(message);
    expect(result.message.startsWith(`fetch: ${url}`)).toBe(true);
  });

  it('a refused connection is an error without a status', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = expectKind(await fetchFeed({ url: `http://127.0.0.1:${deadPort}/feed` }, local), 'error');
    expect(result.status).toBeNull();
    expect(result.message).toMatch(/could not be reached \(ECONNREFUSED\); will retry/);
  });

  it('an invalid source URL is an error, not a throw', async () => {
    const result = expectKind(await fetchFeed({ url: 'not a url' }, local), 'error');
    expect(result.message).toContain("is not a valid address; fix the source's URL");
  });

  it('bad options are a programmer error and throw', async () => {
    await expect(fetchFeed({ url: origin }, { ...local, maxBytes: 0 })).rejects.toThrow(/maxBytes must be a positive number/);
  });
});

describe('fetchFeed: redirects', () => {
  it('follows a relative Location and reports the final URL', async () => {
    route('/dir/old', (_req, res) => res.writeHead(301, { location: 'new/feed.xml' }).end());
    const target = serve('/dir/new/feed.xml', 200, { etag: '"final"' }, RSS);
    const ok = expectKind(await fetchFeed({ url: `${origin}/dir/old` }, local), 'ok');
    expect(ok.url).toBe(target);
    expect(ok.etag).toBe('"final"');
  });

  it('follows exactly maxRedirects hops', async () => {
    route('/hop', (req, res) => {
      const left = Number(new URL(req.url ?? '', origin).searchParams.get('left'));
      if (left > 0) res.writeHead(302, { location: `/hop?left=${left - 1}` }).end();
      else res.writeHead(200).end(RSS);
    });
    expectKind(await fetchFeed({ url: `${origin}/hop?left=5` }, local), 'ok');
    expect(seen).toHaveLength(6);
  });

  it('gives up on a redirect loop after 5 hops', async () => {
    const url = route('/loop', (_req, res) => res.writeHead(307, { location: '/loop' }).end());
    const result = expectKind(await fetchFeed({ url }, local), 'error');
    expect(result.message).toBe(`fetch: ${url} redirected more than 5 times; check the source's address`);
    expect(result.status).toBe(307);
    expect(seen).toHaveLength(6);
  });

  it('a redirect without Location is an error', async () => {
    const url = serve('/nowhere', 302);
    expect(expectKind(await fetchFeed({ url }, local), 'error').message).toContain('without a Location');
  });

  it('a redirect to a non-http scheme is refused even with allowPrivate', async () => {
    const url = serve('/to-file', 302, { location: 'file:///etc/passwd' });
    const result = expectKind(await fetchFeed({ url }, local), 'error');
    expect(result.message).toBe('fetch: refusing file:///etc/passwd: only http and https sources can be fetched, not file:');
  });
});

describe('fetchFeed: compression and size', () => {
  const big = 'x'.repeat(5000);

  it('decompresses gzip and brotli bodies', async () => {
    const gz = serve('/gzip', 200, { 'content-encoding': 'gzip' }, gzipSync(RSS));
    const br = serve('/br', 200, { 'content-encoding': 'br' }, brotliCompressSync(RSS));
    for (const url of [gz, br]) {
      expect(new TextDecoder().decode(expectKind(await fetchFeed({ url }, local), 'ok').bytes)).toBe(RSS);
    }
  });

  it('refuses an oversize plain body from its Content-Length', async () => {
    const url = serve('/large', 200, { 'content-length': String(big.length) }, big);
    const result = expectKind(await fetchFeed({ url }, { ...local, maxBytes: 1000 }), 'error');
    expect(result.message).toBe(`fetch: ${url} is larger than 1000 bytes after decompression; raise maxBytes or drop the source`);
  });

  it('refuses an oversize chunked body while reading it', async () => {
    const url = route('/large-chunked', (_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 5; i++) res.write(big);
      res.end();
    });
    expect(expectKind(await fetchFeed({ url }, { ...local, maxBytes: 1000 }), 'error').message).toContain('is larger than 1000 bytes');
  });

  it('stops a gzip bomb at maxBytes without inflating the rest', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    const url = serve('/bomb', 200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' }, bomb);
    let pulled = 0;
    // Counts the decompressed bytes fetchFeed actually pulls out of the response.
    const counting = (async (input: string | URL | Request, init?: RequestInit) => {
      const res = await fetch(input, init);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return new Response(res.body?.pipeThrough(counter) ?? null, { status: res.status, headers: res.headers });
    }) as typeof fetch;
    const result = expectKind(await fetchFeed({ url }, { ...local, fetchImpl: counting }), 'error');
    expect(bomb.length).toBeLessThan(100_000);
    expect(result.message).toContain('is larger than 10 MiB after decompression');
    expect(pulled).toBeGreaterThan(10 * 1024 * 1024);
    expect(pulled).toBeLessThan(11 * 1024 * 1024);
  });
});

describe('fetchFeed: timeouts', () => {
  it('a body that never finishes fails within the total timeout', async () => {
    const url = route('/slow-body', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss><channel>');
    });
    const started = Date.now();
    const result = expectKind(await fetchFeed({ url }, { ...local, timeoutMs: 300 }), 'error');
    expect(result.message).toBe(`fetch: ${url} did not finish within 0.3 s; will retry at the next poll`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('headers that never come fail within connectTimeoutMs', async () => {
    const url = route('/silent', () => undefined);
    const result = expectKind(await fetchFeed({ url }, { ...local, connectTimeoutMs: 200 }), 'error');
    expect(result.message).toBe(`fetch: ${url} sent no answer within 0.2 s; will retry at the next poll`);
  });
});

describe('fetchFeed: SSRF guard', () => {
  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://[::ffff:7f00:1]/',
    'http://[::1]/',
    'http://10.1.2.3/feed',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost/',
  ])('refuses %s before connecting', async (url) => {
    const { fetchImpl, calls } = noNetwork();
    const result = expectKind(await fetchFeed({ url }, { allowPrivate: false, fetchImpl }), 'error');
    expect(result.message).toMatch(/^fetch: refusing http:\/\/.*: .*(private or reserved address|local host name)/);
    expect(result.status).toBeNull();
    expect(calls).toEqual([]);
  });

  it('refuses a host name that resolves to 127.0.0.1', async () => {
    const { fetchImpl, calls } = noNetwork();
    const result = expectKind(await fetchFeed({ url: 'http://feeds.example.com/rss' }, { allowPrivate: false, fetchImpl, resolve: async () => ['127.0.0.1'] }), 'error');
    expect(result.message).toContain('feeds.example.com resolves to 127.0.0.1');
    expect(calls).toEqual([]);
  });

  it('refuses a non-http scheme', async () => {
    const { fetchImpl, calls } = noNetwork();
    const result = expectKind(await fetchFeed({ url: 'ftp://example.com/feed.xml' }, { allowPrivate: true, fetchImpl }), 'error');
    expect(result.message).toContain('only http and https');
    expect(calls).toEqual([]);
  });

  it('fetches a public host with the guard on', async () => {
    serve('/public', 200, {}, RSS);
    const { opts, calls } = viaPublicName();
    const ok = expectKind(await fetchFeed({ url: `http://public.test:${port}/public` }, opts), 'ok');
    expect(ok.url).toBe(`http://public.test:${port}/public`);
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/', 'http://169.254.169.254/latest/meta-data/'],
    ['a private literal', 'http://10.0.0.1/feed', 'http://10.0.0.1/feed'],
    ['a decimal loopback', 'http://2130706433/', 'http://127.0.0.1/'],
    ['a name resolving to loopback', 'http://evil.test/feed', 'http://evil.test/feed'],
  ])('re-checks every hop: a public host redirecting to %s is refused', async (_name, location, shown) => {
    const path = `/redirect-${encodeURIComponent(location)}`;
    route(path, (_req, res) => res.writeHead(302, { location }).end());
    const { opts, calls } = viaPublicName();
    const result = expectKind(await fetchFeed({ url: `http://public.test:${port}${path}` }, opts), 'error');
    expect(result.message).toMatch(new RegExp(`^fetch: refusing ${shown.replace(/[.?*+/]/g, '\\$&')}: `));
    expect(result.url).toBe(shown);
    expect(calls).toEqual([`http://public.test:${port}${path}`]);
  });

  it('a redirect to the loopback server itself is refused when allowPrivate is off', async () => {
    route('/to-loopback', (_req, res) => res.writeHead(301, { location: `${origin}/ok` }).end());
    const { opts, calls } = viaPublicName();
    const result = expectKind(await fetchFeed({ url: `http://public.test:${port}/to-loopback` }, opts), 'error');
    expect(result.message).toContain(`refusing ${origin}/ok: 127.0.0.1 is a private or reserved address`);
    expect(calls).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', new Date('2024-03-01T12:00:00Z')],
    [' 3600 ', new Date('2024-03-01T13:00:00Z')],
    ['Fri, 01 Mar 2024 15:00:00 GMT', new Date('2024-03-01T15:00:00Z')],
    ['Friday, 01-Mar-24 15:00:00 GMT', new Date('2024-03-01T15:00:00Z')],
    ['soon', null],
    ['-5', null],
    [null, null],
  ])('%s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toEqual(expected);
  });
});

describe('nextCheckAfterFailure', () => {
  const minutes = (d: Date): number => (d.getTime() - NOW.getTime()) / 60_000;

  it('doubles the interval with each failure in a row', () => {
    expect([1, 2, 3, 4].map((n) => minutes(nextCheckAfterFailure(n, 15, NOW)))).toEqual([30, 60, 120, 240]);
  });

  it('never waits more than a day, unless the interval is longer', () => {
    expect(minutes(nextCheckAfterFailure(20, 15, NOW))).toBe(24 * 60);
    expect(minutes(nextCheckAfterFailure(1000, 15, NOW))).toBe(24 * 60);
    expect(minutes(nextCheckAfterFailure(3, 48 * 60, NOW))).toBe(48 * 60);
  });

  it('treats 0 failures as the plain interval', () => {
    expect(minutes(nextCheckAfterFailure(0, 15, NOW))).toBe(15);
  });
});

describe('bodyFingerprint', () => {
  const rss = (build: string, channelDate: string, itemDate: string, comment = ''): string =>
    `<?xml version="1.0"?>${comment}<rss><channel><title>t</title><lastBuildDate>${build}</lastBuildDate><pubDate>${channelDate}</pubDate>` +
    `<item><title>a</title><pubDate>${itemDate}</pubDate><description><![CDATA[<!-- kept -->]]></description></item></channel></rss>`;

  it('is a SHA-256 hex digest', async () => {
    expect(await bodyFingerprint('{"version":"https://jsonfeed.org/version/1.1"}')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores RSS lastBuildDate, the channel pubDate and generator comments', async () => {
    const a = await bodyFingerprint(rss('Mon, 01 Jan 2024 00:00:00 GMT', 'Mon, 01 Jan 2024 00:00:00 GMT', 'Sun, 31 Dec 2023 00:00:00 GMT'));
    const b = await bodyFingerprint(
      rss('Tue, 02 Jan 2024 00:00:00 GMT', 'Tue, 02 Jan 2024 00:00:00 GMT', 'Sun, 31 Dec 2023 00:00:00 GMT', '<!-- generated in 0.12s by WP Super Cache -->'),
    );
    expect(b).toBe(a);
  });

  it('sees a change in an item, including its pubDate and comments inside CDATA', async () => {
    const base = rss('x', 'y', 'Sun, 31 Dec 2023 00:00:00 GMT');
    const a = await bodyFingerprint(base);
    expect(await bodyFingerprint(rss('x', 'y', 'Mon, 01 Jan 2024 00:00:00 GMT'))).not.toBe(a);
    expect(await bodyFingerprint(base.replace('<title>a</title>', '<title>b</title>'))).not.toBe(a);
    expect(await bodyFingerprint(base.replace('<!-- kept -->', '<!-- changed -->'))).not.toBe(a);
  });

  it('ignores the Atom feed-level updated but not an entry updated', async () => {
    const atom = (feed: string, entry: string): string =>
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>${feed}</updated><entry><id>1</id><updated>${entry}</updated></entry></feed>`;
    const a = await bodyFingerprint(atom('2024-01-01T00:00:00Z', '2023-12-31T00:00:00Z'));
    expect(await bodyFingerprint(atom('2024-01-02T00:00:00Z', '2023-12-31T00:00:00Z'))).toBe(a);
    expect(await bodyFingerprint(atom('2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'))).not.toBe(a);
  });

  it('hashes JSON Feed as it is', async () => {
    const a = await bodyFingerprint('{"items":[],"x":"<updated>1</updated>"}');
    expect(await bodyFingerprint('{"items":[],"x":"<updated>2</updated>"}')).not.toBe(a);
  });
});
