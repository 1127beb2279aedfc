import { describe, expect, it } from 'vitest';
import { parsePage } from '../../../src/ingest/html/dom.ts';
import { findArticleLinks } from '../../../src/ingest/html/listing.ts';
import { resolveSelectors, type FieldSelector } from '../../../src/ingest/html/selectors.ts';
import { fixture } from './site.ts';

const LISTING = 'http://news.example.ir/index.php/k2-news';
const own = (...alternatives: string[]): FieldSelector => ({ alternatives, from: 'explicit' });
const links = (html: string, selector: FieldSelector, url = LISTING) => findArticleLinks(parsePage(html, url), url, selector);

describe('article links on a listing page', () => {
  it('resolves relative links against <base href>, drops fragments and tracking, keeps page order, each once', () => {
    const found = links(fixture('k2-listing.html'), own('.catItemView a'));
    expect(found.links).toEqual([
      'http://news.example.ir/index.php/k2-news/item/3643-meeting',
      'http://news.example.ir/index.php/k2-news/item/3642-data-center',
      'http://news.example.ir/index.php/k2-news/item/3641-e-gov',
    ]);
    // Title, image, comments anchor and "read more" of each article: three repeats each.
    expect(found).toMatchObject({ matched: 12, duplicates: 9, offsite: 0, unusable: 0, selector: '.catItemView a' });
  });

  it('with the K2 preset, takes the listing’s titles and leaves the sidebar module alone', () => {
    const found = links(fixture('k2-listing.html'), resolveSelectors('k2').item!);
    expect(found.links).toHaveLength(3);
    expect(found.selector).toBe('.catItemTitle a, .tagItemTitle a, .userItemTitle a, .genericItemTitle a');
  });

  it('resolves against the page URL when there is no <base>, and reads the first link inside a container', () => {
    const html = `<ul class="news"><li><a href="12-title">خبر</a></li><li><span><a href="./13-other?utm_source=x&amp;id=5#top">خبر</a></span></li></ul>`;
    expect(links(html, own('.news li'), 'https://site.ir/fa/news/').links).toEqual(['https://site.ir/fa/news/12-title', 'https://site.ir/fa/news/13-other?id=5']);
  });

  it('leaves off-site, script and mail links out, and counts them', () => {
    const html = `<div class="n">
      <a href="https://www.site.ir/a">1</a><a href="https://news.site.ir/b">2</a><a href="https://other.ir/c">3</a>
      <a href="javascript:void(0)">4</a><a href="mailto:x@site.ir">5</a><a>6</a><a href="#">7</a></div>`;
    const found = links(html, own('.n a'), 'https://site.ir/');
    expect(found.links).toEqual(['https://www.site.ir/a', 'https://news.site.ir/b']);
    expect(found).toMatchObject({ offsite: 1, unusable: 4 });
  });

  it('reads an attribute when asked, and says when nothing matched', () => {
    const html = `<div data-url="/x/1" class="card"></div><div data-url="/x/2" class="card"></div>`;
    expect(links(html, own('.card@data-url'), 'https://site.ir/').links).toEqual(['https://site.ir/x/1', 'https://site.ir/x/2']);
    expect(links(html, own('.nothing', '.none'))).toEqual({ links: [], selector: null, matched: 0, duplicates: 0, offsite: 0, unusable: 0 });
  });
});
