import { describe, expect, it } from 'vitest';
import { parsePage } from '../../../src/ingest/html/dom.ts';
import { extractArticle, readDate, shortCodeIn } from '../../../src/ingest/html/extract.ts';
import { resolveSelectors, type Selectors } from '../../../src/ingest/html/selectors.ts';
import type { PresetName } from '../../../src/ingest/html/presets.ts';
import { prepareItem } from '../../../src/ingest/prepare.ts';
import { fixture } from './site.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const ARTICLE = 'http://news.example.ir/index.php/k2-news/item/3643-meeting';

function extract(html: string, preset?: PresetName, selectors?: Selectors, url = ARTICLE) {
  return extractArticle(parsePage(html, url), url, resolveSelectors(preset, selectors), { now: NOW });
}

/** A small article page: each field in its own element, any of them left out on request. */
function page(fields: { title?: string; date?: string; body?: string; tags?: string[]; code?: string }): string {
  return `<!doctype html><html dir="rtl"><head><meta charset="utf-8"><title>سایت</title></head><body>
    <div class="post">
      ${fields.title === undefined ? '' : `<h1 class="t">${fields.title}</h1>`}
      ${fields.date === undefined ? '' : `<span class="d">${fields.date}</span>`}
      ${fields.tags === undefined ? '' : `<ul class="tags">${fields.tags.map((t) => `<li><a href="/tag/${t}">${t}</a></li>`).join('')}</ul>`}
      ${fields.body === undefined ? '' : `<div class="body">${fields.body}</div>`}
      ${fields.code === undefined ? '' : `<p class="short">${fields.code}</p>`}
    </div></body></html>`;
}
const OWN: Selectors = { item: 'a', title: '.t', date: '.d', content: '.body', categories: '.tags', shortCode: '.short' };

describe('the K2 layout of the seed article', () => {
  const { item, fields, problems } = extract(fixture('k2-article.html'), 'k2');

  it('reads title, the Jalali date without the trailing view count, the «طبقه بندی» list and the short code', () => {
    expect(problems).toEqual([]);
    expect(item?.title).toBe('نشست معاونان وزیر با فعالان ICT استان آذربایجان شرقی برگزار شد');
    expect(item?.publishedAt?.toISOString()).toBe('2014-08-18T22:14:00.000Z');
    expect(item?.labels).toEqual(['صنفی', 'اخبار سازمان']);
    expect(item?.shortCode).toBe('3643');
    expect(item?.url).toBe(ARTICLE);
    expect(item?.guid).toBeNull();
  });

  it('takes intro and full text as the body, not the toolbar, extra fields or related items', () => {
    expect(item?.content).toContain('صبح امروز نشست معاونان وزیر');
    expect(item?.content).toContain('سعی می کنیم در پروژه های CALL سنتر');
    expect(item?.content).not.toContain('fontIncrease');
    expect(item?.content).not.toContain('آدرس کوتاه شده');
    expect(item?.content).not.toContain('مطالب مرتبط');
  });

  it('offers the image as an enclosure with an absolute URL', () => {
    expect(item?.enclosures).toEqual([{ url: 'http://news.example.ir/media/k2/items/cache/6a1b2c_L.jpg', type: 'image/jpeg', length: null }]);
  });

  it('reports which preset alternative gave each field', () => {
    expect(fields.title).toEqual({ selector: '.itemView .itemTitle', value: item?.title, problem: null });
    expect(fields.shortCode?.selector).toBe('.itemExtraFields li:contains("آدرس کوتاه")');
    expect(fields.author?.problem).toMatch(/^matched nothing/);
  });

  it('goes through the same sanitiser as feed items: no script, nothing relative', () => {
    const prepared = prepareItem(item!, { sourceId: 1, categoryIds: [], baseUrl: ARTICLE, now: NOW });
    expect(prepared.identity).toBe(ARTICLE);
    expect(prepared.shortCode).toBe('3643');
    expect(prepared.content).not.toMatch(/<script|document\.write/);
    expect(prepared.content).toContain('<p>');
  });
});

describe('the Joomla and WordPress presets', () => {
  it('read a Joomla 4 article: headline, <time datetime>, author name, category and tags', () => {
    const { item } = extract(fixture('joomla-article.html'), 'joomla', undefined, 'https://j.example.ir/index.php/news/12-report');
    expect(item).toMatchObject({ title: 'گزارش عملکرد شش ماهه اداره کل', author: 'روابط عمومی', labels: ['اخبار سازمان', 'صنفی'], shortCode: null });
    expect(item?.publishedAt?.toISOString()).toBe('2024-09-24T07:00:00.000Z');
    expect(item?.content).toMatch(/^<p>بند 1:/);
    expect(item?.enclosures?.[0]?.url).toBe('https://j.example.ir/images/news/report.jpg');
  });

  it('read a WordPress post, with ?p=123 from its shortlink as the short code', () => {
    const { item } = extract(fixture('wordpress-article.html'), 'wordpress', undefined, 'https://blog.example.ir/1403/07/03/new-service/');
    expect(item).toMatchObject({ title: 'راه‌اندازی سامانه جدید پیشخوان', author: 'سردبیر', labels: ['صنفی', 'پیشخوان'], shortCode: '123' });
    expect(item?.publishedAt?.toISOString()).toBe('2024-09-24T07:00:00.000Z');
    expect(item?.content).not.toContain('commentform');
  });

  it('let explicit selectors win field by field', () => {
    const { item, fields } = extract(fixture('k2-article.html'), 'k2', { title: '.itemTags li:first-child a', categories: '.itemRelTitle' });
    expect(item?.title).toBe('صنفی');
    expect(item?.labels).toEqual(['بازدید معاون وزیر از مرکز داده استان']);
    expect(fields.date?.selector).toBe('.itemView .itemDateCreated');
  });
});

describe('Jalali page dates in several forms', () => {
  const cases: [string, string][] = [
    ['سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴ ۳۴', '2014-08-18T22:14:00.000Z'],
    ['۱۴۰۳/۰۷/۰۳ - ۱۰:۳۰', '2024-09-24T07:00:00.000Z'],
    ['تاریخ انتشار: ۰۳ مهر ۱۴۰۳ ساعت ۱۰:۳۰', '2024-09-24T07:00:00.000Z'],
    ['منتشر شده در سه‌شنبه ۳ مهر ۱۴۰۳', '2024-09-23T20:30:00.000Z'],
    ['۱۰:۳۰ - ۰۳/۰۷/۱۴۰۳', '2024-09-24T07:00:00.000Z'],
    ['1393-05-28 02:44', '2014-08-18T22:14:00.000Z'],
    ['۲۸ مرداد ۱۳۹۳ | بازدید: ۱۲۸', '2014-08-18T19:30:00.000Z'],
  ];
  it.each(cases)('%s → %s', (text, iso) => {
    const { item, fields } = extract(page({ title: 'خبر', date: text, body: '<p>متن</p>' }), undefined, OWN);
    expect(fields.date?.problem).toBeNull();
    expect(item?.publishedAt?.toISOString()).toBe(iso);
  });

  it('prefers <time datetime> to its text', () => {
    const html = page({ title: 'خبر', body: '<p>متن</p>', date: '<time datetime="2024-09-24T10:30:00+03:30">دیروز</time>' });
    expect(extract(html, undefined, { ...OWN, date: '.d time' }).item?.publishedAt?.toISOString()).toBe('2024-09-24T07:00:00.000Z');
  });

  it('reads the source time zone for dates that name none', () => {
    expect(readDate('2024-09-24 10:30', { now: NOW, timeZone: 'Asia/Tehran' })?.toISOString()).toBe('2024-09-24T07:00:00.000Z');
  });

  it('keeps an item whose date cannot be read, undated, and says why', () => {
    const { item, fields } = extract(page({ title: 'خبر', date: 'به زودی', body: '<p>متن</p>' }), undefined, OWN);
    expect(item?.publishedAt).toBeNull();
    expect(fields.date?.problem).toMatch(/«به زودی» but it is not a date/);
  });
});

describe('missing fields', () => {
  it('skips an article without a title and says so', () => {
    const { item, problems } = extract(page({ date: '۱۴۰۳/۰۷/۰۳', body: '<p>متن</p>' }), undefined, OWN);
    expect(item).toBeNull();
    expect(problems).toEqual(['title: matched nothing (".t")']);
  });

  it('skips an article whose body is empty or missing', () => {
    expect(extract(page({ title: 'خبر', body: ' <p> </p><script>x()</script>' }), undefined, OWN).problems).toEqual(['content: matched only empty elements']);
    expect(extract(page({ title: 'خبر' }), undefined, OWN).item).toBeNull();
  });

  it('keeps an item without categories, author or short code', () => {
    const { item, fields } = extract(page({ title: 'خبر', date: '۱۴۰۳/۰۷/۰۳', body: '<p>متن</p>' }), undefined, OWN);
    expect(item).toMatchObject({ title: 'خبر', labels: [], shortCode: null, author: null });
    expect(fields.categories?.problem).toMatch(/matched nothing/);
  });

  it('tries alternatives in order, and the later one may win', () => {
    const { item, fields } = extract(page({ title: 'خبر', body: '<p>متن</p>' }), undefined, { ...OWN, title: ['h2.nope', '.t'] });
    expect(item?.title).toBe('خبر');
    expect(fields.title?.selector).toBe('.t');
  });
});

describe('content', () => {
  it('makes links and images absolute against <base href>, and uses lazy images’ real source', () => {
    const html = `<html><head><base href="https://cdn.example.ir/news/"></head><body><h1 class="t">خبر</h1>
      <div class="body"><a href="../about">درباره</a><img src="data:image/gif;base64,R0lGOD" data-src="img/a.jpg"></div></body></html>`;
    const { item } = extract(html, undefined, OWN);
    expect(item?.content).toContain('href="https://cdn.example.ir/about"');
    expect(item?.content).toContain('src="https://cdn.example.ir/news/img/a.jpg"');
  });

  it('does not repeat an element matched inside another match', () => {
    const { item } = extract(page({ title: 'خبر', body: '<p>یک</p><p>دو</p>' }), undefined, { ...OWN, content: '.body, .body p' });
    expect(item?.content?.match(/یک/g)).toHaveLength(1);
  });
});

describe('short codes', () => {
  it.each([
    ['آدرس کوتاه شده: 3643', '3643'],
    ['آدرس کوتاه شده: ۳۶۴۳', '3643'],
    ['آدرس كوتاه: http://news.example.ir/3643', '3643'],
    ['https://blog.example.ir/?p=123', '123'],
    ['Short URL: https://x.ir/aB-9', 'aB-9'],
  ])('%s → %s', (text, code) => {
    expect(shortCodeIn(text, 'http://news.example.ir/')).toBe(code);
  });

  it.each([['آدرس کوتاه شده:'], ['https://news.example.ir/fa/news/12/title'], ['آدرس کوتاه شده: ندارد']])('finds none in %s', (text) => {
    expect(shortCodeIn(text, 'http://news.example.ir/')).toBeNull();
  });

  it('finds the code beside a label in its own element, typed with an Arabic kaf', () => {
    const html = page({ title: 'خبر', body: '<p>متن</p>' }).replace('</div></body>', '<div class="meta"><span>آدرس كوتاه شده:</span> <b>3643</b></div></div></body>');
    const { shortCode: _, ...withoutCode } = OWN;
    const { item, fields } = extract(html, 'k2', withoutCode);
    expect(item?.shortCode).toBe('3643');
    expect(fields.shortCode?.selector).toMatch(/^li:contains/);
  });
});
