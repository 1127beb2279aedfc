/** OPML 2.0 of every published feed (http://opml.org/spec2.opml), for readers that import a list. */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { hashText } from '../core/hash.ts';
import type { PublishedFeed } from '../core/types.ts';
import { etagMatches } from './conditional.ts';
import { escapeAttr, escapeText } from './render/xml.ts';
import { feedUrl } from './routes.ts';

/**
 * One outline per feed, pointing at its RSS URL, with the HTML view as htmlUrl. Pure. No <docs>:
 * it is optional, and the W3C validator's OPML rules predate it.
 */
export function renderOpml(feeds: PublishedFeed[], baseUrl: string, title = 'Chapar'): string {
  const newest = feeds.reduce((max, f) => (f.updatedAt > max ? f.updatedAt : max), new Date(0));
  const outlines = feeds.map((feed) => {
    const attrs: [string, string | null][] = [
      ['type', 'rss'],
      ['text', feed.title],
      ['title', feed.title],
      ['xmlUrl', feedUrl(baseUrl, feed.slug, 'rss')],
      ['htmlUrl', `${baseUrl}/feeds/${feed.slug}`],
      ['language', feed.language],
      ['description', feed.description],
    ];
    return `<outline ${attrs
      .filter((a): a is [string, string] => a[1] !== null && a[1] !== '')
      .map(([name, value]) => `${name}="${escapeAttr(value)}"`)
      .join(' ')}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '<head>',
    `<title>${escapeText(title)}</title>`,
    `<dateModified>${newest.toUTCString()}</dateModified>`,
    '</head>',
    '<body>',
    ...outlines,
    '</body>',
    '</opml>',
    '',
  ].join('\n');
}

export function opmlRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/opml', async (c) => {
    const feeds = await deps.repos.feeds.list();
    const body = renderOpml(feeds, deps.config.baseUrl);
    const etag = `"${hashText(body)}"`;
    // No Last-Modified: deleting a feed changes the list without making any date newer.
    const headers = { ETag: etag, 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' };
    if (etagMatches(c.req.header('if-none-match') ?? '', etag)) {
      return c.body(null, 304, headers);
    }
    return c.body(body, 200, { ...headers, 'Content-Type': 'text/x-opml; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  });
  return app;
}
