/**
 * The front (src/http/front.ts) must be indistinguishable from the app but by speed: whatever it
 * answers, the app answers with the same status, headers and bytes, and counts the same polls,
 * clicks and metrics. Everything it cannot replay it declines.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FrontAnswer, FrontRequest } from '../../src/http/front.ts';
import { MAX_TARGET_LENGTH } from '../../src/http/limits.ts';
import { nodeCompressor } from '../../src/runtime/compress.ts';
import type { FeedPoll, TrafficRecorder } from '../../src/shortlinks/traffic.ts';
import { BASE_URL, seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

const IP = '203.0.113.9';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const READER = 'Miniflux/2.2.0 (+https://miniflux.app)';

/** A recorder that keeps what it is told, so both paths' counting can be compared call by call. */
function spyTraffic() {
  const polls: FeedPoll[] = [];
  const clicks: [string, string][] = [];
  const traffic: TrafficRecorder = {
    eager: false,
    click: (code, host) => void clicks.push([code, host]),
    poll: (poll) => void polls.push(poll),
    flush: async () => ({ clicks: 0, polls: 0, readers: 0, failed: false }),
    pending: 0,
    dropped: 0,
  };
  return { traffic, polls, clicks };
}

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

let t: TestApp;
let spy: ReturnType<typeof spyTraffic>;
let code: string;

beforeEach(async () => {
  spy = spyTraffic();
  t = await testApp({ clientIp: () => IP, deps: { compress: nodeCompressor(), traffic: spy.traffic } });
  await seedCategoriesAndFeeds(t);
  const res = await t.api('/items', {
    body: Array.from({ length: 12 }, (_, i) => ({
      guid: `front-${i}`,
      title: `خبر شماره ${i} صنفی`,
      url: `https://news.example/${i}`,
      content: `<p>متن <b>${i}</b> &amp; بیشتر</p>`,
      publishedAt: `2024-01-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
      categories: i % 2 ? ['senfi'] : ['akhbar-sazman'],
    })),
  });
  expect(res.status).toBe(201);
  const links = (await (await t.api('/links')).json()) as { items: { code: string }[] };
  code = links.items[0]!.code;
});

const request = (method: string, target: string, headers: Record<string, string> = {}): FrontRequest => ({ method, target, headers, ip: IP });

async function viaApp(method: string, target: string, headers: Record<string, string> = {}): Promise<Seen> {
  const res = await t.app.request(`${BASE_URL}${target}`, { method, headers });
  const seen: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'x-request-id') seen[name] = value;
  });
  return { status: res.status, headers: seen, body: Buffer.from(await res.arrayBuffer()).toString('latin1') };
}

function seenOf(answer: FrontAnswer, method: string): Seen {
  const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), value]));
  // Node leaves the body of a HEAD answer out on the wire; so does the app's HEAD.
  return { status: answer.status, headers, body: method === 'HEAD' || !answer.body ? '' : Buffer.from(answer.body).toString('latin1') };
}

async function metric(line: RegExp): Promise<number> {
  const text = await (await t.get('/metrics')).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found ? Number(found.split(' ').at(-1)) : 0;
}

describe('front: feeds', () => {
  it('declines a feed the app has not rendered, then replays exactly what the app sent', async () => {
    for (const target of ['/feeds/all.rss', '/feeds/senfi.atom', '/feeds/all.json?q=صنفی', '/feeds/both.rss?category=senfi&limit=3']) {
      expect(t.front(request('GET', target))).toBeNull();
      const app = await viaApp('GET', target);
      expect(app.status).toBe(200);
      const front = t.front(request('GET', target));
      expect(front).not.toBeNull();
      expect(seenOf(front!, 'GET')).toEqual(app);
      expect(front!.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers like the app for any coding, validator, method and junk parameter', async () => {
    const etags = new Set<string>();
    for (const ae of ['', 'gzip', 'br']) {
      const res = await t.get('/feeds/all.rss', ae ? { 'accept-encoding': ae } : {});
      etags.add(res.headers.get('etag')!);
    }
    expect(etags.size).toBe(3);
    const lastModified = (await t.get('/feeds/all.rss')).headers.get('last-modified')!;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD'),
        fc.constantFrom('/feeds/all.rss', '/feeds/all.rss?_=1', '/feeds/all.rss?utm_source=x&_=2', '/feeds/senfi.json', '/feeds/senfi.json?limit=2'),
        fc.option(fc.constantFrom('gzip', 'br', 'gzip, deflate, br', 'br;q=0.5, gzip', 'identity', '*', 'gzip;q=0, br;q=0', 'x-gzip', 'deflate')),
        fc.option(fc.oneof(fc.constantFrom(...etags, '*', '"nope"', `W/${[...etags][0]}`, [...etags].join(', ')), fc.string({ maxLength: 12 }))),
        fc.option(fc.constantFrom(lastModified, 'Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 01 Jan 2100 00:00:00 GMT', 'not a date')),
        fc.option(fc.constantFrom(BROWSER, READER, 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers)')),
        async (method, target, acceptEncoding, ifNoneMatch, ifModifiedSince, userAgent) => {
          const headers: Record<string, string> = {};
          if (acceptEncoding !== null) headers['accept-encoding'] = acceptEncoding;
          if (ifNoneMatch !== null) headers['if-none-match'] = ifNoneMatch;
          if (ifModifiedSince !== null) headers['if-modified-since'] = ifModifiedSince;
          if (userAgent !== null) headers['user-agent'] = userAgent;
          spy.polls.length = 0;
          const app = await viaApp(method, target, headers);
          // The app has just rendered and compressed what this request needs: the front must have it.
          const front = t.front(request(method, target, headers));
          expect(front).not.toBeNull();
          expect(seenOf(front!, method)).toEqual(app);
          // Both counted the same poll: the app's middleware and the front's part.
          expect(spy.polls).toHaveLength(2);
          expect(spy.polls[1]).toEqual(spy.polls[0]);
          answered++;
        },
      ),
      { numRuns: 150 },
    );
    expect(answered).toBe(150);
  });

  it('declines once the publish version moves, until the app has rendered the new bytes', async () => {
    const before = await viaApp('GET', '/feeds/all.rss');
    expect(t.front(request('GET', '/feeds/all.rss'))).not.toBeNull();
    expect((await t.api('/items', { body: { guid: 'late', title: 'تازه', publishedAt: '2025-01-01T00:00:00Z' } })).status).toBe(201);
    expect(t.front(request('GET', '/feeds/all.rss'))).toBeNull();
    const after = await viaApp('GET', '/feeds/all.rss');
    expect(after.body).not.toBe(before.body);
    expect(Buffer.from(after.body, 'latin1').toString('utf8')).toContain('تازه');
    expect(seenOf(t.front(request('GET', '/feeds/all.rss'))!, 'GET')).toEqual(after);
  });

  it('declines what it must leave to the app', async () => {
    await viaApp('GET', '/feeds/all.rss');
    expect(t.front(request('GET', '/feeds/all.rss'))).not.toBeNull();
    for (const [method, target] of [
      ['POST', '/feeds/all.rss'],
      ['OPTIONS', '/feeds/all.rss'],
      ['GET', 'http://chapar.test/feeds/all.rss'],
      ['GET', '/feeds/%61ll.rss'],
      ['GET', '/feeds/all.rss/'],
      ['GET', '/feeds/all'],
      ['GET', `/feeds/all.rss?_=${'x'.repeat(MAX_TARGET_LENGTH)}`],
    ] as const) {
      expect(t.front(request(method, target)), `${method} ${target}`).toBeNull();
    }
    // A coding the app has not made yet for this rendering is left to the app, which makes it.
    expect(t.front(request('GET', '/feeds/all.rss', { 'accept-encoding': 'br' }))).toBeNull();
    // And too long a URL gets the app's 414, not a replay.
    expect((await viaApp('GET', `/feeds/all.rss?_=${'x'.repeat(MAX_TARGET_LENGTH)}`)).status).toBe(414);
  });

  it('counts its answers in the same request metrics as the app, and in its own', async () => {
    const route = /^chapar_http_requests_total\{method="GET",route="\/feeds\/:file",status="200"\}/;
    await viaApp('GET', '/feeds/all.rss');
    expect(await metric(route)).toBe(1);
    for (let i = 0; i < 3; i++) expect(t.front(request('GET', '/feeds/all.rss'))?.status).toBe(200);
    expect(await metric(route)).toBe(4);
    expect(await metric(/^chapar_front_answers_total\{route="\/feeds\/:file"\}/)).toBe(3);
  });

  it('keeps a sane incoming request id and makes one otherwise', async () => {
    await viaApp('GET', '/feeds/all.rss');
    expect(t.front(request('GET', '/feeds/all.rss', { 'x-request-id': 'edge-42.a_b' }))?.id).toBe('edge-42.a_b');
    expect(t.front(request('GET', '/feeds/all.rss', { 'x-request-id': 'bad id\n' }))?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('front: short links', () => {
  it('declines a code the cache does not know, then redirects as the app does', async () => {
    expect(t.front(request('GET', `/s/${code}`))).toBeNull();
    const app = await viaApp('GET', `/s/${code}`, { 'user-agent': BROWSER });
    expect(app.status).toBe(302);
    const front = t.front(request('GET', `/s/${code}`, { 'user-agent': BROWSER }));
    expect(seenOf(front!, 'GET')).toEqual(app);
  });

  it('counts the same clicks: people, not bots, HEADs or prefetches', async () => {
    await viaApp('GET', `/s/${code}`);
    // [method, headers, clicks each path counts]: only the first is a person.
    const cases: [string, Record<string, string>, number][] = [
      ['GET', { 'user-agent': BROWSER, referer: 'https://t.me/channel' }, 1],
      ['GET', { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' }, 0],
      ['HEAD', { 'user-agent': BROWSER }, 0],
      ['GET', { 'user-agent': BROWSER, 'sec-purpose': 'prefetch' }, 0],
      ['GET', { 'user-agent': 'TelegramBot (like TwitterBot)' }, 0],
    ];
    for (const [method, headers, clicks] of cases) {
      spy.clicks.length = 0;
      const app = await viaApp(method, `/s/${code}`, headers);
      expect(spy.clicks).toHaveLength(clicks);
      const front = t.front(request(method, `/s/${code}`, headers));
      expect(seenOf(front!, method)).toEqual(app);
      expect(spy.clicks).toHaveLength(2 * clicks);
      expect(spy.clicks.slice(clicks)).toEqual(spy.clicks.slice(0, clicks));
    }
  });

  it('leaves unknown codes, even known misses, to the app and its 404 problem', async () => {
    expect((await viaApp('GET', '/s/999999')).status).toBe(404);
    expect(t.front(request('GET', '/s/999999'))).toBeNull();
    expect(t.front(request('GET', '/s/'))).toBeNull();
  });
});

describe('front: in front of the Node server', () => {
  it('answers repeat feed requests from memory with the headers on the wire', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startServer } = await import('../../src/runtime/node.ts');
    const dir = mkdtempSync(join(tmpdir(), 'chapar-front-'));
    const token = 'front-admin-token-0123456789';
    const server = await startServer({ PORT: '0', CHAPAR_DB: join(dir, 'chapar.db'), CHAPAR_CONFIG_DIR: dir, CHAPAR_CRON: 'off', CHAPAR_LOG_LEVEL: 'silent', CHAPAR_ADMIN_TOKEN: token }, () => {});
    try {
      const api = (path: string, body: unknown) =>
        fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await api('/feeds', { slug: 'all', title: 'همه', language: 'fa' })).status).toBe(201);
      expect((await api('/items', { guid: 'w-1', title: 'خبر', publishedAt: '2024-01-01T00:00:00Z' })).status).toBe(201);
      // fetch would undo a compressed coding (and hide its length): ask for the bytes as they are.
      const identity = { 'accept-encoding': 'identity' };
      const first = await fetch(`${server.url}/feeds/all.rss`, { headers: identity });
      const firstBody = await first.text();
      const second = await fetch(`${server.url}/feeds/all.rss`, { headers: identity });
      expect(await second.text()).toBe(firstBody);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(second.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(second.headers.get('content-length'))).toBe(Buffer.byteLength(firstBody));
      expect(second.headers.get('content-encoding')).toBeNull();
      const head = await fetch(`${server.url}/feeds/all.rss`, { method: 'HEAD', headers: identity });
      expect(head.headers.get('content-length')).toBe(second.headers.get('content-length'));
      expect(await head.text()).toBe('');
      const notModified = await fetch(`${server.url}/feeds/all.rss`, { headers: { ...identity, 'if-none-match': first.headers.get('etag')! } });
      expect(notModified.status).toBe(304);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^chapar_front_answers_total\{route="\/feeds\/:file"\} 3$/m);
      expect(metrics).toMatch(/^chapar_http_requests_total\{method="GET",route="\/feeds\/:file",status="200"\} 2$/m);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
