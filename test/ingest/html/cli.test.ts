import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/command.ts';
import { fixture, startSite, type Site } from './site.ts';

let site: Site;

beforeAll(async () => {
  site = await startSite();
  const here = (html: string) => html.replaceAll('http://news.example.ir', site.origin);
  site.page('/news', here(fixture('k2-listing.html')));
  for (const id of ['3643-meeting', '3642-data-center', '3641-e-gov']) site.page(`/index.php/k2-news/item/${id}`, here(fixture('k2-article.html')));
});
afterAll(() => site.close());

async function chapar(args: string[], env: Record<string, string> = { CHAPAR_FETCH_ALLOW_PRIVATE: 'true' }) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => void out.push(l), err: (l) => void err.push(l), env, cwd: process.cwd() };
  const code = await main(args, io);
  return { code, out, err };
}

describe('chapar preview', () => {
  it('prints the preview as JSON with --json, exit 0 when every selector found something', async () => {
    const { code, out } = await chapar(['preview', `${site.origin}/news`, '--preset', 'k2', '--articles', '1', '--delay', '0', '--json']);
    expect(code).toBe(0);
    const preview = JSON.parse(out[0]!);
    expect(preview.articles[0].item).toMatchObject({ publishedAt: '2014-08-18T22:14:00.000Z', shortCode: '3643', categories: ['صنفی', 'اخبار سازمان'] });
  });

  it('prints fields and articles for a person, exit 1 when a selector found nothing', async () => {
    const { code, out } = await chapar(['preview', `${site.origin}/news`, '--preset', 'k2', '--select', 'content=.nothing', '--articles', '1', '--delay', '0']);
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toContain('3 article links');
    expect(text).toMatch(/date\s+ok 1\/1 \[preset\]\s+\.itemView \.itemDateCreated\s+2014-08-18T22:14:00\.000Z/);
    expect(text).toMatch(/content\s+missing 0\/1 \[explicit\]/);
    expect(text).toContain('problem: selectors.content: found on none of 1 article: matched nothing (".nothing")');
  });

  it('refuses a private address without CHAPAR_FETCH_ALLOW_PRIVATE', async () => {
    const { code, err } = await chapar(['preview', `${site.origin}/news`, '--preset', 'k2'], {});
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^fetch: refusing .*private or reserved address/);
  });

  it.each([
    [['preview'], /no URL given/],
    [['preview', 'site.ir', '--preset', 'k2'], /is not an http\(s\) URL/],
    [['preview', 'https://site.ir/', '--preset', 'drupal'], /--preset must be one of k2, joomla, wordpress/],
    [['preview', 'https://site.ir/', '--select', 'titel=h1'], /--select needs FIELD=CSS/],
    [['preview', 'https://site.ir/', '--select', 'item=a', '--select', 'title=h1['], /--select title: is not a CSS selector/],
    [['preview', 'https://site.ir/', '--preset', 'k2', '--articles', '0'], /--articles must be a whole number from 1 to 10/],
  ])('exits 2 on bad arguments: %j', async (args, message) => {
    const { code, err } = await chapar(args);
    expect(code).toBe(2);
    expect(err[0]).toMatch(message);
  });

  it('is listed in chapar --help', async () => {
    const { out } = await chapar(['--help']);
    expect(out.join('\n')).toMatch(/preview\s+show what an HTML source/);
  });
});
