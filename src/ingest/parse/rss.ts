import type { ParseDateOptions } from '../../core/dates.ts';
import type { ParsedFeed, ParsedItem } from '../../core/types.ts';
import { resolveUrl } from '../../core/urls.ts';
import { atomLinks, mediaEnclosures } from './links.ts';
import { atomConstruct, firstConstruct, rssConstruct, toHtml, toText, xhtmlConstruct } from './text.ts';
import { enclosures, isoDate, itemUrl, joinNames, labels, languageTag, personName } from './values.ts';
import { attr, child, children, textOf, trimmedText } from './xml.ts';
import type { XmlElement } from './xml.ts';

/**
 * RSS 0.9x and 2.0 (`<rss>`, or a bare `<channel>`) and RSS 0.90/1.0 (`<rdf:RDF>`,
 * items beside the channel). Both read the same elements; RDF items take their
 * guid from `rdf:about`.
 */
export function parseRss(root: XmlElement, format: 'rss' | 'rdf', opts: ParseDateOptions): ParsedFeed {
  const channel = root.local === 'channel' ? root : child(root, '', 'channel');
  // Items belong in the channel (RSS 2.0) or beside it (RDF); broken feeds mix the two.
  const items = [...(channel && channel !== root ? children(channel, '', 'item') : []), ...children(root, '', 'item')];
  return {
    format,
    feed: channel ? parseChannel(channel, root, opts) : { title: null, link: null, language: root.lang, updated: null },
    items: items.map((item) => parseItem(item, format, opts)),
  };
}

function parseChannel(channel: XmlElement, root: XmlElement, opts: ParseDateOptions): ParsedFeed['feed'] {
  const own = (ns: string, local: string) => trimmedText(child(channel, ns, local));
  const link = child(channel, '', 'link');
  const atomLink = atomLinks(channel, 'atom').alternate;
  return {
    title: toText(firstConstruct(rssConstruct(child(channel, '', 'title')), rssConstruct(child(channel, 'dc', 'title')))),
    link: (link && resolveUrl(textOf(link), link.base)) ?? (atomLink && resolveUrl(atomLink.href, atomLink.base)),
    language: languageTag(own('', 'language') ?? own('dc', 'language') ?? channel.lang ?? root.lang),
    updated: isoDate(opts, own('', 'lastbuilddate'), own('', 'pubdate'), own('dc', 'date'), own('atom', 'updated'), own('dcterms', 'modified')),
  };
}

function parseItem(item: XmlElement, format: 'rss' | 'rdf', opts: ParseDateOptions): ParsedItem {
  const own = (ns: string, local: string) => trimmedText(child(item, ns, local));
  const all = (ns: string, local: string) => children(item, ns, local).map(textOf);
  const guidEl = child(item, '', 'guid');
  const guid = trimmedText(guidEl) ?? (format === 'rdf' ? attr(item, 'about', 'rdf')?.trim() || null : null);
  const atom = atomLinks(item, 'atom');
  return {
    guid,
    title: toText(
      firstConstruct(rssConstruct(child(item, '', 'title')), rssConstruct(child(item, 'dc', 'title')), rssConstruct(child(item, 'media', 'title'))),
    ),
    url: itemLink(item, guidEl, guid, atom.alternate),
    summary: toHtml(
      firstConstruct(
        rssConstruct(child(item, '', 'description')),
        atomConstruct(child(item, 'atom', 'summary')),
        rssConstruct(child(item, 'itunes', 'summary')),
        rssConstruct(child(item, 'media', 'description')),
      ),
    ),
    content: toHtml(
      firstConstruct(
        rssConstruct(child(item, 'content', 'encoded'), true),
        xhtmlConstruct(child(item, 'xhtml', 'body') ?? child(item, 'xhtml', 'div') ?? child(item, '', 'body')),
        rssConstruct(child(item, '', 'fullitem'), true),
        atomConstruct(child(item, 'atom', 'content')),
      ),
    ),
    author: authors(item),
    categories: labels([
      ...all('', 'category'),
      ...all('dc', 'subject'),
      ...children(item, 'atom', 'category').map((c) => attr(c, 'label') ?? attr(c, 'term')),
      ...children(item, 'media', 'category').map((c) => attr(c, 'label') ?? textOf(c)),
      ...itunesCategories(item),
    ]),
    publishedAt: isoDate(opts, own('', 'pubdate'), own('dc', 'date'), own('dcterms', 'issued'), own('dcterms', 'created'), own('atom', 'published')),
    updatedAt: isoDate(opts, own('atom', 'updated'), own('dcterms', 'modified')),
    enclosures: enclosures([
      ...children(item, '', 'enclosure').map((e) => ({ url: attr(e, 'url'), type: attr(e, 'type'), length: attr(e, 'length'), base: e.base })),
      ...mediaEnclosures(item),
      ...atom.enclosures,
    ]),
  };
}

/**
 * Where the item lives: FeedBurner's original link, `<link>`, an Atom alternate
 * link, then (as RSS 2.0 says) a guid that is a permalink, then RDF's `rdf:about`.
 */
function itemLink(item: XmlElement, guidEl: XmlElement | null, guid: string | null, atomAlternate: { href: string; base: string | null } | null): string | null {
  const origLink = child(item, 'feedburner', 'origlink');
  if (origLink) {
    const url = itemUrl(textOf(origLink), origLink.base);
    if (url) return url;
  }
  for (const link of children(item, '', 'link')) {
    const url = itemUrl(textOf(link) || attr(link, 'href'), link.base);
    if (url) return url;
  }
  if (atomAlternate) {
    const url = itemUrl(atomAlternate.href, atomAlternate.base);
    if (url) return url;
  }
  const permalink = guidEl !== null && attr(guidEl, 'ispermalink')?.trim().toLowerCase() !== 'false';
  // Only an absolute guid: a relative one ("12345") is an identifier, not a path.
  if (permalink && guid) return itemUrl(guid, null);
  const about = attr(item, 'about', 'rdf');
  return about ? itemUrl(about, null) : null;
}

/** `<author>` (often `email (Name)`), else `dc:creator`, else iTunes' or Atom's author. */
function authors(item: XmlElement): string | null {
  const names = (els: XmlElement[]) => joinNames(els.map((el) => personName(textOf(el))));
  return (
    names(children(item, '', 'author')) ??
    names(children(item, 'dc', 'creator')) ??
    names(children(item, 'dc', 'author')) ??
    names(children(item, 'itunes', 'author')) ??
    names(children(item, 'atom', 'author').flatMap((a) => children(a, 'atom', 'name')))
  );
}

/** iTunes categories (`<itunes:category text="…">`, possibly nested), in document order. */
function itunesCategories(el: XmlElement): (string | null)[] {
  return children(el, 'itunes', 'category').flatMap((c) => [attr(c, 'text'), ...itunesCategories(c)]);
}
