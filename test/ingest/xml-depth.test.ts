import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { parseOpml } from '../../src/ingest/opml.ts';
import { parseFeed } from '../../src/ingest/parse.ts';
import { MAX_XML_DEPTH, parseXml, XmlDepthError, type XmlElement } from '../../src/ingest/parse/xml.ts';
import { ingestSource } from '../../src/ingest/pipeline.ts';
import { testApp } from '../helpers/app.ts';
import { rss, startUpstream, type Upstream } from './upstream.ts';

const BASE = 'https://example.com/feed.xml';
const DEPTH_ERROR = /^parse: elements nest deeper than 256 levels \(the limit, MAX_XML_DEPTH\); the document was not read$/;

/** An RSS feed whose one item's description holds `depth` nested <div>s; the div count is the whole document's depth minus 4. */
function nestedFeed(depth: number, close = true): string {
  const divs = depth - 4;
  const inner = '<div>'.repeat(divs) + 'deep' + (close ? '</div>'.repeat(divs) : '');
  const tail = close ? '</description></item></channel></rss>' : '';
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><link>https://example.com/</link><item><title>t</title><guid>g</guid><description>${inner}${tail}`;
}

/** The deepest element's level, the root being 1. */
function depthOf(el: XmlElement | null): number {
  if (el === null) return 0;
  let deepest = 0;
  for (const c of el.children) if (typeof c !== 'string') deepest = Math.max(deepest, depthOf(c));
  return deepest + 1;
}

describe('XML nesting depth', () => {
  it('is capped at an exported limit', () => {
    expect(MAX_XML_DEPTH).toBe(256);
  });

  it('a 10,000-deep document fails fast with an error naming the limit', async () => {
    const started = performance.now();
    await expect(parseFeed(nestedFeed(10_000), BASE)).rejects.toThrow(DEPTH_ERROR);
    expect(() => parseXml(nestedFeed(10_000))).toThrow(XmlDepthError);
    // Generous: the point is no second, loose reading and no tree of 10,000 levels, not a benchmark.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('fails the same way when the document is not well-formed (the loose reading is capped too)', async () => {
    await expect(parseFeed(nestedFeed(10_000, false), BASE)).rejects.toThrow(DEPTH_ERROR);
  });

  it('one level past the limit fails; exactly the limit parses', async () => {
    await expect(parseFeed(nestedFeed(MAX_XML_DEPTH + 1), BASE)).rejects.toThrow(DEPTH_ERROR);
    expect(depthOf(parseXml(nestedFeed(MAX_XML_DEPTH)))).toBe(MAX_XML_DEPTH);
  });

  it('a 200-deep document still parses, keeping its markup', async () => {
    expect(depthOf(parseXml(nestedFeed(200)))).toBe(200);
    const feed = await parseFeed(nestedFeed(200), BASE);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]!.title).toBe('t');
  });

  it('a normal feed still parses', async () => {
    const feed = await parseFeed(rss([{ title: 'خبر', guid: 'g1', link: 'https://news.example/1', description: '<p><b>متن</b></p>' }]), BASE);
    expect(feed.format).toBe('rss');
    expect(feed.items.map((i) => i.title)).toEqual(['خبر']);
  });

  it('an OPML upload that nests too deep is a validation error (422), not a crash', async () => {
    const opml = `<opml version="2.0"><body>${'<outline text="f">'.repeat(300)}${'</outline>'.repeat(300)}</body></opml>`;
    expect(() => parseOpml(opml)).toThrow(ValidationError);
    expect(() => parseOpml(opml)).toThrow(DEPTH_ERROR);
    const t = await testApp();
    try {
      const res = await t.api('/sources/import', { body: opml, headers: { 'content-type': 'text/x-opml' } });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ status: 422, detail: expect.stringMatching(DEPTH_ERROR), errors: [{ field: '(body)', message: expect.stringMatching(DEPTH_ERROR) }] });
    } finally {
      await t.close();
    }
  });
});

describe('a source whose feed turns too deep', () => {
  let upstream: Upstream;
  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterAll(() => upstream.close());

  it('is an ingest error that names the limit and leaves stored items as they were', async () => {
    const database = openSqlite(':memory:');
    try {
      let at = new Date('2024-08-20T06:00:00Z');
      const repos = createRepos(database, () => at);
      const deps = { repos, now: () => at, ingest: { allowPrivate: true } };
      let body = rss([{ title: 'خبر اول', guid: 'g1', link: 'https://news.example/1', description: 'متن', pubDate: 'Tue, 20 Aug 2024 05:00:00 GMT' }]);
      const url = upstream.route('/deep', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
      const source = await repos.sources.create({ url });
      expect(await ingestSource(deps, source.id)).toMatchObject({ status: 'ok', new: 1 });
      const before = await repos.items.list([], { limit: 100 });

      body = nestedFeed(10_000);
      at = new Date(at.getTime() + 2 * 60 * 60_000);
      const result = await ingestSource(deps, source.id);
      expect(result.status).toBe('error');
      expect(result.error).toMatch(/^ingest: source \d+ sent nothing Chapar can read as a feed \(parse: elements nest deeper than 256 levels/);
      expect(await repos.items.list([], { limit: 100 })).toEqual(before);
    } finally {
      database.close();
    }
  });
});
