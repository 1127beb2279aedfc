import type { ParseDateOptions } from '../../core/dates.ts';
import type { ParsedFeed, ParsedItem } from '../../core/types.ts';
import { resolveUrl } from '../../core/urls.ts';
import { atomLinks, mediaEnclosures } from './links.ts';
import { atomConstruct, toHtml, toText } from './text.ts';
import type { Construct } from './text.ts';
import { enclosures, isoDate, itemUrl, joinNames, labels, languageTag, personName } from './values.ts';
import { attr, child, children, hasElementChildren, textOf, trimmedText } from './xml.ts';
import type { XmlElement } from './xml.ts';

/** Atom 1.0 and 0.3 (`modified`, `issued`, `created`, `mode`). */
export function parseAtom(root: XmlElement, opts: ParseDateOptions): ParsedFeed {
  // Atom elements are in the Atom 1.0 or 0.3 namespace, in none, or (as feedparser
  // allows) in whatever namespace the root declared.
  const A = ['atom', '', root.ns];
  const own = (local: string) => trimmedText(child(root, A, local));
  const feedAuthor = authors(root, A);
  const link = atomLinks(root, A).alternate;
  return {
    format: 'atom',
    feed: {
      title: toText(atomConstruct(child(root, A, 'title'))),
      link: link && resolveUrl(link.href, link.base),
      language: languageTag(root.lang ?? trimmedText(child(root, 'dc', 'language'))),
      updated: isoDate(opts, own('updated'), own('modified'), trimmedText(child(root, 'dc', 'date'))),
    },
    items: children(root, A, 'entry').map((entry) => parseEntry(entry, A, feedAuthor, opts)),
  };
}

function parseEntry(entry: XmlElement, A: string[], feedAuthor: string | null, opts: ParseDateOptions): ParsedItem {
  const links = atomLinks(entry, A);
  const source = child(entry, A, 'source');
  const own = (local: string) => trimmedText(child(entry, A, local));
  const dc = (local: string) => trimmedText(child(entry, 'dc', local)) ?? trimmedText(child(entry, 'dcterms', local));
  return {
    guid: own('id'),
    title: toText(atomConstruct(child(entry, A, 'title'))),
    url:
      itemUrl(trimmedText(child(entry, 'feedburner', 'origlink')), entry.base) ??
      (links.alternate && itemUrl(links.alternate.href, links.alternate.base)),
    summary: toHtml(atomConstruct(child(entry, A, 'summary'))),
    content: toHtml(bestContent(children(entry, A, 'content'))),
    author: authors(entry, A) ?? (source && authors(source, A)) ?? feedAuthor ?? personName(dc('creator')),
    categories: labels([
      ...children(entry, A, 'category').map((c) => attr(c, 'label') ?? attr(c, 'term') ?? textOf(c)),
      ...children(entry, 'dc', 'subject').map(textOf),
    ]),
    publishedAt: isoDate(opts, own('published'), own('issued'), own('created'), dc('date'), dc('issued')),
    updatedAt: isoDate(opts, own('updated'), own('modified'), dc('modified')),
    enclosures: enclosures([...links.enclosures, ...mediaEnclosures(entry)]),
  };
}

/** Atom 0.3 allowed several contents (multipart/alternative): prefer the HTML one. */
function bestContent(contents: XmlElement[]): Construct | null {
  const readable = contents.map(atomConstruct).filter((c): c is Construct => c !== null && c.value.trim() !== '');
  return readable.find((c) => c.kind === 'html') ?? readable[0] ?? null;
}

/** Names of an element's authors; an `<author>` with bare text (not Atom, but seen) counts too. */
function authors(el: XmlElement, A: string[]): string | null {
  return joinNames(
    children(el, A, 'author').map((a) => personName(hasElementChildren(a) ? trimmedText(child(a, A, 'name')) : textOf(a))),
  );
}
