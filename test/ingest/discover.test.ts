import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFeed, findFeedLinks, looksLikeHtml } from '../../src/ingest/discover.ts';
import { rss, startUpstream, windows1256, type Upstream } from './upstream.ts';

describe('findFeedLinks', () => {
  it('finds RSS, Atom and JSON Feed alternates in document order, absolute against the page', () => {
    const html = `<!DOCTYPE html><html dir="rtl"><head>
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" hreflang="en" href="/en/">
      <LINK REL="Alternate" TYPE="application/rss+xml" TITLE="خبرها" HREF="/fa/rss?cat=1&amp;limit=20">
      <link type='application/atom+xml' rel='alternate home' href='https://other.example/atom.xml' title='اتم'>
      <link rel=alternate type=application/feed+json href=feed.json>
      <link rel="alternate" type="application/rss+xml" href="/fa/rss?cat=1&limit=20">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body><a rel="alternate" type="application/rss+xml" href="/not-a-link-tag"></a></body></html>`;
    expect(findFeedLinks(html, 'https://news.example/fa/index.html')).toEqual([
      { url: 'https://news.example/fa/rss?cat=1&limit=20', type: 'application/rss+xml', title: 'خبرها' },
      { url: 'https://other.example/atom.xml', type: 'application/atom+xml', title: 'اتم' },
      { url: 'https://news.example/fa/feed.json', type: 'application/feed+json', title: null },
    ]);
  });

  it('resolves against <base href>', () => {
    const html = '<head><base href="https://cdn.example/site/"><link rel="alternate" type="application/atom+xml" href="atom"></head>';
    expect(findFeedLinks(html, 'https://news.example/')[0]!.url).toBe('https://cdn.example/site/atom');
  });

  it('finds nothing on a page without feed links', () => {
    expect(findFeedLinks('<html><head><title>x</title></head></html>', 'https://news.example/')).toEqual([]);
  });
});

describe('looksLikeHtml', () => {
  it.each([
    ['<!doctype html><html>', null, true],
    ['  <!-- c --><html lang="fa">', null, true],
    ['<?xml version="1.0"?><rss>', 'text/html', true],
    ['<?xml version="1.0"?><rss>', 'application/rss+xml', false],
    ['<feed xmlns="http://www.w3.org/2005/Atom">', null, false],
    ['{"version":"https://jsonfeed.org/version/1.1"}', 'application/json', false],
  ])('%s (%s) → %s', (text, type, expected) => {
    expect(looksLikeHtml(text, type)).toBe(expected);
  });
});

describe('discoverFeed', () => {
  let upstream: Upstream;
  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterAll(() => upstream.close());
  const opts = { allowPrivate: true };

  it('keeps a feed URL as given', async () => {
    const url = upstream.serve('/feed', 200, { 'content-type': 'application/rss+xml' }, rss([]));
    expect(await discoverFeed(url, opts)).toEqual({ kind: 'feed', url, title: null, via: 'given' });
  });

  it('follows a windows-1256 page to its feed', async () => {
    const page = upstream.serve('/page', 200, { 'content-type': 'text/html; charset=windows-1256' }, windows1256('<html><head><link rel="alternate" type="application/rss+xml" title="اخبار" href="/rss.xml"></head></html>'));
    expect(await discoverFeed(page, opts)).toEqual({ kind: 'feed', url: `${upstream.origin}/rss.xml`, title: 'اخبار', via: 'page' });
  });

  it('says when a page has no feed', async () => {
    const page = upstream.serve('/plain', 200, { 'content-type': 'text/html' }, '<!doctype html><title>x</title>');
    expect(await discoverFeed(page, opts)).toMatchObject({ kind: 'no-feed', message: expect.stringContaining('rel="alternate"') });
  });

  it('keeps an address it cannot reach now, unchecked', async () => {
    const url = upstream.serve('/down', 503);
    expect(await discoverFeed(url, opts)).toEqual({ kind: 'feed', url, title: null, via: 'unchecked' });
  });
});
