import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { rss, startUpstream, type Upstream } from './upstream.ts';

let upstream: Upstream;
let dir: string;
let db: string;
let n = 0;

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chapar-cli-'));
  db = join(dir, `chapar-${++n}.db`);
  return () => rmSync(dir, { recursive: true, force: true });
});

async function chapar(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { CHAPAR_DB: db, CHAPAR_FETCH_ALLOW_PRIVATE: 'true', ...env }, cwd: dir });
  return { code, out, err };
}

const FEED = rss([{ title: 'یک', guid: '1' }, { title: 'دو', guid: '2' }]);

describe('chapar sources, fetch, import-opml, export-opml', () => {
  it('adds a source by page URL, lists it, fetches it, and round-trips it through OPML', async () => {
    const feed = upstream.serve('/cli-feed', 200, {}, FEED);
    const page = upstream.serve('/cli-page', 200, { 'content-type': 'text/html' }, '<html><head><link rel="alternate" type="application/atom+xml" href="/cli-feed"></head></html>');

    const added = await chapar(['sources', 'add', page, '--title', 'خبرها', '--interval=30']);
    expect(added).toMatchObject({ code: 0, out: [`added source 1: ${feed}`] });

    const listed = await chapar(['sources', 'list']);
    expect(listed.out).toEqual([`1\tactive\tnever\t${listed.out[0]!.split('\t')[3]}\t${feed}`]);

    const fetched = await chapar(['fetch', '1']);
    expect(fetched.code).toBe(0);
    expect(fetched.out[0]).toMatch(/^source 1 ok: 2 new, 0 updated, 0 unchanged; next check \d{4}-/);
    expect((await chapar(['fetch'])).out[0]).toMatch(/^source 1 not-modified: 0 new/);

    const exported = await chapar(['export-opml', 'out.opml']);
    expect(exported.code).toBe(0);
    const opml = readFileSync(join(dir, 'out.opml'), 'utf8');
    expect(opml).toContain(`xmlUrl="${feed}"`);

    db = join(dir, 'other.db');
    const imported = await chapar(['import-opml', 'out.opml']);
    expect(imported).toMatchObject({ code: 0, out: [`[1/1] created ${feed}`, '1 added, 0 already present, 0 failed'] });
    const json = await chapar(['sources', 'list', '--json']);
    expect(JSON.parse(json.out[0]!)).toMatchObject({ id: 1, url: feed, title: 'خبرها' });
  });

  it('reports a failed fetch on stderr and exits 1', async () => {
    const url = upstream.serve('/cli-broken', 500);
    await chapar(['sources', 'add', url]);
    const fetched = await chapar(['fetch']);
    expect(fetched.code).toBe(1);
    expect(fetched.err[0]).toMatch(/^source 1 error: ingest: source 1: fetch: .* answered 500; will retry at /);
  });

  it('imports with a progress line per feed and exits 1 when some fail', async () => {
    writeFileSync(join(dir, 'in.opml'), `<opml version="2.0"><body><outline text="صنفی"><outline xmlUrl="https://a.example/feed"/></outline><outline xmlUrl="ftp://b.example/"/></body></opml>`);
    const imported = await chapar(['import-opml', 'in.opml'], { CHAPAR_FETCH_ALLOW_PRIVATE: 'false' });
    expect(imported.code).toBe(1);
    expect(imported.out[0]).toBe('[1/2] created https://a.example/feed');
    expect(imported.out[1]).toMatch(/^\[2\/2\] failed ftp:\/\/b\.example\/: fetch: refusing/);
    expect(imported.out[2]).toMatch(/^1 added, 0 already present, 1 failed; new categories: c-/);
  });

  it.each([
    [['sources'], /expected list or add/],
    [['sources', 'add'], /needs one URL/],
    [['sources', 'add', 'https://a.example/', '--colour', 'red'], /unknown option --colour/],
    [['sources', 'add', 'https://a.example/', '--title'], /--title needs a value/],
    [['fetch', 'abc'], /needs a source ID/],
    [['fetch', '1', '2'], /at most one/],
    [['import-opml'], /needs one FILE/],
    [['export-opml', 'a', 'b'], /at most one FILE/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const result = await chapar(args);
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(message);
  });

  it('says what is wrong with a source instead of a stack trace', async () => {
    expect(await chapar(['sources', 'add', 'http://127.0.0.1:1/feed'], { CHAPAR_FETCH_ALLOW_PRIVATE: 'false' })).toMatchObject({ code: 1, err: ['chapar sources add: the source address is refused', expect.stringMatching(/^ {2}url: fetch: refusing/)] });
    expect(await chapar(['sources', 'add', 'not a url'])).toMatchObject({ code: 2, err: [expect.stringMatching(/^chapar sources add: url: must be an absolute http\(s\) URL/)] });
    expect(await chapar(['sources', 'add', 'https://a.example/', '--category', 'nope'])).toMatchObject({ code: 1, err: ['chapar sources add: unknown categories', '  categories.0: no category "nope"'] });
    expect(await chapar(['fetch', '42'])).toMatchObject({ code: 1, err: ['chapar fetch: no source 42; chapar sources list shows them'] });
    expect(await chapar(['import-opml', 'missing.opml'])).toMatchObject({ code: 1, err: [expect.stringMatching(/cannot read .*missing\.opml: ENOENT/)] });
    writeFileSync(join(dir, 'bad.opml'), 'not opml');
    expect(await chapar(['import-opml', 'bad.opml'])).toMatchObject({ code: 1, err: ['chapar import-opml: not an OPML document', '  (body): is not an OPML document (no <opml> root element)'] });
  });
});
