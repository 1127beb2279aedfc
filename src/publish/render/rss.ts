import type { Enclosure } from '../../core/types.ts';
import { rfc822 } from './dates.ts';
import { authorName, looksLikeHtml, nonEmpty, textToHtml } from './text.ts';
import type { RenderFeed, RenderItem } from './types.ts';
import { isAbsoluteHttpUrl, toUri } from './url.ts';
import { escapeAttr, escapeMarkup, escapeText } from './xml.ts';

/** RSS 2.0 with the atom (self, hub, first, previous, next), content (full HTML) and dc (author names) extensions. */
export function renderRss(feed: RenderFeed): string {
  const title = escapeText(feed.title);
  const htmlUrl = escapeText(toUri(feed.htmlUrl));
  const language = nonEmpty(feed.language);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${title}</title>`,
    `<link>${htmlUrl}</link>`,
    // RSS requires a description; the title is the honest fallback.
    `<description>${escapeText(nonEmpty(feed.description) ?? feed.title)}</description>`,
    atomLink('self', feed.selfUrl, 'application/rss+xml'),
    ...feed.hubs.map((hub) => atomLink('hub', hub, null)),
    feed.firstUrl === null ? '' : atomLink('first', feed.firstUrl, 'application/rss+xml'),
    feed.previousUrl === null ? '' : atomLink('previous', feed.previousUrl, 'application/rss+xml'),
    feed.nextUrl === null ? '' : atomLink('next', feed.nextUrl, 'application/rss+xml'),
    language === null ? '' : `<language>${escapeText(language)}</language>`,
    `<generator>${escapeText(feed.generator)}</generator>`,
    `<lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>`,
    `<ttl>${Math.max(0, Math.round(feed.ttlMinutes))}</ttl>`,
    feed.iconUrl !== null && isRssImage(feed.iconUrl)
      ? `<image><url>${escapeText(toUri(feed.iconUrl))}</url><title>${title}</title><link>${htmlUrl}</link></image>`
      : '',
    ...feed.items.map(renderItem),
    '</channel>',
    '</rss>',
  ];
  return lines.filter((line) => line !== '').join('\n') + '\n';
}

function atomLink(rel: string, href: string, type: string | null): string {
  const typeAttr = type === null ? '' : ` type="${type}"`;
  return `<atom:link href="${escapeAttr(toUri(href))}" rel="${rel}"${typeAttr}/>`;
}

/** RSS 2.0 allows only GIF, JPEG and PNG channel images; an .ico or .svg icon is left to Atom and JSON. */
function isRssImage(url: string): boolean {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return false;
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(pathname.slice(pathname.lastIndexOf('/') + 1))?.[1];
  return extension === undefined || ['gif', 'jpg', 'jpeg', 'png'].includes(extension.toLowerCase());
}

function renderItem(item: RenderItem): string {
  const content = nonEmpty(item.contentHtml);
  const summary = nonEmpty(item.summary);
  const description = summary === null ? content : looksLikeHtml(summary) ? summary : textToHtml(summary);
  const title = nonEmpty(item.title) ?? (description === null ? toUri(item.link) : null);
  const permaLink = item.guidIsPermaLink && isAbsoluteHttpUrl(item.guid);
  const author = authorName(item.author);
  const enclosure = item.enclosures[0];
  const lines = [
    '<item>',
    title === null ? '' : `<title>${escapeText(title)}</title>`,
    `<link>${escapeText(toUri(item.link))}</link>`,
    `<guid isPermaLink="${permaLink}">${escapeText(permaLink ? toUri(item.guid) : item.guid)}</guid>`,
    description === null ? '' : `<description>${escapeMarkup(description)}</description>`,
    summary !== null && content !== null ? `<content:encoded>${escapeMarkup(content)}</content:encoded>` : '',
    author === null ? '' : `<dc:creator>${escapeText(author)}</dc:creator>`,
    ...item.categories.map((category) => `<category>${escapeText(nonEmpty(category.label) ?? category.term)}</category>`),
    `<pubDate>${rfc822(item.published)}</pubDate>`,
    // RSS allows one enclosure per item; Atom and JSON Feed carry all of them.
    enclosure === undefined ? '' : renderEnclosure(enclosure),
    '</item>',
  ];
  return lines.filter((line) => line !== '').join('\n');
}

function renderEnclosure(enclosure: Enclosure): string {
  // Both attributes are required; the RSS Best Practices Profile says 0 for an unknown length.
  const length = enclosure.length !== null && enclosure.length >= 0 ? Math.round(enclosure.length) : 0;
  const type = nonEmpty(enclosure.type) ?? 'application/octet-stream';
  return `<enclosure url="${escapeAttr(toUri(enclosure.url))}" length="${length}" type="${escapeAttr(type)}"/>`;
}
