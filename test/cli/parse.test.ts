import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.ts';
import type { CliIo } from '../../src/cli/command.ts';
import { parseCommand } from '../../src/cli/parse.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chapar-parse-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: dir };
  const code = await parseCommand.run(args, io);
  return { code, out, err };
}

const lines = (out: string[]) => out.map((l) => JSON.parse(l) as Record<string, unknown>);

const RSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>خبرها</title><link>https://news.example.ir/</link><language>fa</language>
<item><title>یک</title><link>/news/1?utm_source=rss</link><guid>n1</guid><description>&lt;p&gt;متن&lt;/p&gt;</description>
<category>ورزشی</category><pubDate>سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴</pubDate><enclosure url="/a.mp3" type="audio/mpeg" length="1"/></item>
</channel></rss>`;

const ATOM = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><link rel="self" href="https://example.com/feed.atom"/>
<updated>2024-01-01T00:00:00Z</updated><entry><id>e1</id><title>E</title><link href="posts/e1"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>`;

describe('chapar parse', () => {
  it('prints one JSON line per file, in argument order, with the contract’s keys', async () => {
    await writeFile(join(dir, 'news.rss'), RSS);
    await writeFile(join(dir, 'feed.atom'), ATOM);
    const { code, out, err } = await run(['feed.atom', 'news.rss']);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(2);
    const [atom, rss] = lines(out);
    expect(Object.keys(rss ?? {})).toEqual(['file', 'format', 'encoding', 'feed', 'items', 'error']);
    expect(rss).toEqual({
      file: 'news.rss',
      format: 'rss',
      encoding: 'utf-8',
      feed: { title: 'خبرها', link: 'https://news.example.ir/', language: 'fa', updated: null },
      items: [
        {
          guid: 'n1',
          title: 'یک',
          url: 'https://news.example.ir/news/1',
          summary: '<p>متن</p>',
          content: null,
          author: null,
          categories: ['ورزشی'],
          publishedAt: '2014-08-18T22:14:00.000Z',
          updatedAt: null,
        },
      ],
      error: null,
    });
    expect(Object.keys((rss?.items as object[])[0] ?? {})).toEqual([
      'guid', 'title', 'url', 'summary', 'content', 'author', 'categories', 'publishedAt', 'updatedAt',
    ]);
    expect(atom).toMatchObject({
      file: 'feed.atom',
      format: 'atom',
      feed: { title: 'Atom', link: null, language: null, updated: '2024-01-01T00:00:00.000Z' },
      items: [{ guid: 'e1', url: 'https://example.com/posts/e1', updatedAt: '2024-01-01T00:00:00.000Z', publishedAt: null }],
      error: null,
    });
  });

  it('drops a link that stays relative when the feed names no address of its own', async () => {
    await writeFile(join(dir, 'bare.xml'), '<rss><channel><title>t</title><item><link>/x</link></item></channel></rss>');
    const [line] = lines((await run(['bare.xml'])).out);
    expect(line).toMatchObject({ items: [{ url: null }], error: null });
  });

  it('decodes a windows-1256 file by its XML declaration', async () => {
    const head = new TextEncoder().encode('<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>');
    const salam = Uint8Array.from([0xd3, 0xe1, 0xc7, 0xe3]);
    const tail = new TextEncoder().encode('</title></channel></rss>');
    await writeFile(join(dir, 'w1256.xml'), Buffer.concat([head, salam, tail]));
    const [line] = lines((await run(['w1256.xml'])).out);
    expect(line).toMatchObject({ encoding: 'windows-1256', feed: { title: 'سلام' }, error: null });
  });

  it('decodes UTF-16 with a byte-order mark', async () => {
    const text = '<rss version="2.0"><channel><title>سلام UTF-16</title></channel></rss>';
    const units = new Uint16Array([0xfeff, ...Array.from(text, (c) => c.charCodeAt(0))]);
    await writeFile(join(dir, 'utf16.xml'), new Uint8Array(units.buffer));
    const [line] = lines((await run(['utf16.xml'])).out);
    expect(line).toMatchObject({ encoding: 'utf-16le', feed: { title: 'سلام UTF-16' }, error: null });
  });

  it('still prints a line, with error set, for a file it cannot read or parse, and exits 0', async () => {
    await writeFile(join(dir, 'page.html'), '<!doctype html><html><body>not a feed</body></html>');
    const { code, out } = await run(['missing.xml', 'page.html', 'news.rss']);
    expect(code).toBe(0);
    const [missing, page, ok] = lines(out);
    expect(missing).toEqual({
      file: 'missing.xml',
      format: null,
      encoding: null,
      feed: null,
      items: [],
      error: 'parse: cannot read missing.xml (ENOENT)',
    });
    expect(page).toMatchObject({ file: 'page.html', format: null, encoding: 'utf-8', feed: null, items: [] });
    expect(page?.error).toMatch(/^parse: unable to detect feed format/);
    expect(ok).toMatchObject({ file: 'news.rss', format: 'rss', error: null });
  });

  it('accepts a file named like an option after --', async () => {
    await writeFile(join(dir, '-odd.xml'), ATOM);
    const [line] = lines((await run(['--', '-odd.xml'])).out);
    expect(line).toMatchObject({ file: '-odd.xml', format: 'atom', error: null });
  });

  it('is a usage error without files or with an unknown option', async () => {
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--'])).rejects.toThrow('no files given');
    await expect(run(['--json', 'news.rss'])).rejects.toThrow('unknown option --json');
  });

  it('prints its usage for --help', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('Usage: chapar parse FILE...');
    expect(parseCommand.usage).toContain('self link');
  });
});
