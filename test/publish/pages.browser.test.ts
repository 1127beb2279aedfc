/**
 * The HTML views in a real browser: Debian's chromium driven by playwright-core, against the app
 * served on loopback. Skips, saying why, only when /usr/bin/chromium is absent.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`pages.browser.test: skipped, ${CHROMIUM} is absent (apt-get install -y chromium)`);

let t: TestApp;
let server: ServerType;
let origin: string;
let browser: Browser;

/** A page that records console errors and CSP violations, which must not happen. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'fa-IR' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const response = await page.goto(`${origin}${path}`);
  expect(response?.status(), path).toBe(200);
  return { page, problems };
}

describe.skipIf(!hasChromium)(`HTML views in chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is absent)`}`, () => {
  beforeAll(async () => {
    // The app must know the origin it is served on before it renders links, so listen first.
    let fetchApp: (request: Request) => Response | Promise<Response> = () => new Response(null, { status: 503 });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (request) => fetchApp(request), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await testApp({ baseUrl: origin });
    fetchApp = (request) => t.app.fetch(request);
    await seedCategoriesAndFeeds(t);
    const res = await t.api('/items', {
      body: [
        { guid: 'b-1', title: 'نشست صنفی', content: '<p>متن <b>اول</b></p>', publishedAt: '2024-01-01T10:00:00Z', categories: ['senfi'] },
        { guid: 'b-2', title: 'خبر سازمان', summary: 'خلاصه', publishedAt: '2024-01-02T10:00:00Z', categories: ['akhbar-sazman'] },
        { guid: 'b-3', title: 'خبر مشترک', publishedAt: '2014-08-18T22:14:00Z', categories: ['senfi', 'akhbar-sazman'] },
      ],
    });
    expect(res.status).toBe(201);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    t?.close();
  });

  it('the index lists the feeds right to left, with autodiscovery and working links', async () => {
    const { page, problems } = await open('/');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).direction)).toBe('rtl');
    expect(await page.locator('li.feed').count()).toBe(4);
    expect(await page.locator('link[rel="alternate"]').count()).toBe(12);

    const hrefs = await page.locator('a[data-format]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs).toHaveLength(12);
    for (const href of hrefs) {
      const res = await page.request.get(href);
      expect(res.status(), href).toBe(200);
      expect(res.headers()['content-type'], href).toMatch(/^application\/(rss\+xml|atom\+xml|feed\+json); charset=utf-8$/);
    }

    // The stylesheet applied and the script ran under the CSP: copy buttons are revealed.
    expect(await page.locator('li.feed').first().evaluate((li) => getComputedStyle(li).borderTopStyle)).toBe('solid');
    const copy = page.locator('li.feed[data-slug="senfi"] button[data-copy]').first();
    expect(await copy.isVisible()).toBe(true);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('کپی شد');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${origin}/feeds/senfi.rss`);

    await page.locator('a[href="/feeds/senfi"]').click();
    await page.waitForURL(`${origin}/feeds/senfi`);
    expect(await page.locator('h1').textContent()).toBe('صنفی');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the preview shows Jalali and Gregorian dates, and its search box finds Persian letter variants', async () => {
    const { page, problems } = await open('/feeds/all');
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    expect(await page.locator('li.item').count()).toBe(3);
    const shared = page.locator('li.item', { hasText: 'خبر مشترک' });
    expect(await shared.locator('.jalali').textContent()).toBe('۲۸ مرداد ۱۳۹۳، ۰۲:۴۴');
    expect(await shared.locator('.gregorian').textContent()).toBe('19 Aug 2014, 02:44');
    expect(await shared.locator('.gregorian').evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');

    // Arabic Kaf, as typed on an Arabic keyboard.
    await page.locator('input[name="q"]').fill('مشترك');
    await page.locator('input[name="q"]').press('Enter');
    await page.waitForURL(/\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('مشترك');
    expect(await page.locator('li.item h2').allTextContents()).toEqual(['خبر مشترک']);
    expect(await page.locator('input[name="q"]').inputValue()).toBe('مشترك');
    // The subscribe links now carry the search.
    expect(await page.locator('a[data-format="rss"]').getAttribute('href')).toBe(`${origin}/feeds/all.rss?q=${encodeURIComponent('مشترك')}`);

    await page.locator('input[name="q"]').fill('هیچ‌چیز');
    await page.locator('input[name="q"]').press('Enter');
    await page.waitForLoadState();
    await expect.poll(() => page.locator('p.empty').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('item links without an upstream URL open the item page', async () => {
    const { page, problems } = await open('/feeds/all');
    await page.locator('li.item a', { hasText: 'خبر مشترک' }).click();
    await page.waitForURL(/\/items\/\d+$/);
    expect(await page.locator('h1').textContent()).toBe('خبر مشترک');
    expect(await page.locator('article .jalali').textContent()).toBe('۲۸ مرداد ۱۳۹۳، ۰۲:۴۴');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
