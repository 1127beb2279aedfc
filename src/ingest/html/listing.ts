/**
 * Listing page → article URLs: the `item` selector's links, made absolute against the
 * page's base, without tracking parameters or fragments, each once, in page order, on
 * the listing's own site. Pure.
 */
import { resolveUrl, stripTracking } from '../../core/urls.ts';
import { parseQuery, select, type Element, type Page } from './dom.ts';
import type { FieldSelector } from './selectors.ts';

export interface ListingLinks {
  /** Article URLs in page order, each once. */
  links: string[];
  /** The alternative that matched, or null when none did. */
  selector: string | null;
  /** Elements the selector matched. */
  matched: number;
  /** Matches that repeated a link already found (title, image and "read more" of one article). */
  duplicates: number;
  /** Links to other sites, left alone. */
  offsite: number;
  /** Matches with no usable link (no href, javascript:, mailto:…). */
  unusable: number;
}

export function findArticleLinks(page: Page, listingUrl: string, item: FieldSelector): ListingLinks {
  for (const selector of item.alternatives) {
    const query = parseQuery(selector);
    const elements = select(page.doc, query.css);
    if (elements.length === 0) continue;
    return { ...collect(elements, query.attribute, page.base, listingUrl), selector, matched: elements.length };
  }
  return { links: [], selector: null, matched: 0, duplicates: 0, offsite: 0, unusable: 0 };
}

function collect(elements: Element[], attribute: string | null, base: string, listingUrl: string) {
  const links: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let offsite = 0;
  let unusable = 0;
  const listing = articleKey(listingUrl);
  for (const el of elements) {
    const url = articleUrl(hrefOf(el, attribute), base);
    if (url === null || url === listing) {
      unusable++;
    } else if (!sameSite(url, listingUrl)) {
      offsite++;
    } else if (seen.has(url)) {
      duplicates++;
    } else {
      seen.add(url);
      links.push(url);
    }
  }
  return { links, duplicates, offsite, unusable };
}

/** The link an element stands for: the attribute asked for, its href, or its first link inside. */
function hrefOf(el: Element, attribute: string | null): string | undefined {
  if (attribute !== null) return el.attribs[attribute];
  if (el.attribs.href !== undefined) return el.attribs.href;
  return select(el, 'a[href]')[0]?.attribs.href;
}

/** An article's URL as Chapar keys it: absolute http(s), no tracking parameters, no fragment. */
export function articleUrl(href: string | undefined, base: string): string | null {
  const absolute = resolveUrl(href, base);
  return absolute === null ? null : articleKey(absolute);
}

function articleKey(url: string): string {
  return stripTracking(url.replace(/#.*$/, ''));
}

const siteOf = (host: string): string => host.toLowerCase().replace(/^www\./, '');

/** Same host, or one a subdomain of the other (`www.`, `news.`): a site's own articles. */
function sameSite(url: string, listingUrl: string): boolean {
  const a = siteOf(new URL(url).hostname);
  const b = siteOf(new URL(listingUrl).hostname);
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}
