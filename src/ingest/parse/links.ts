import { attr, children, textOf } from './xml.ts';
import type { XmlElement } from './xml.ts';
import type { EnclosureInput } from './values.ts';

export interface AtomLinks {
  /** The alternate (HTML) link as written, with its base. */
  alternate: { href: string; base: string | null } | null;
  self: { href: string; base: string | null } | null;
  enclosures: EnclosureInput[];
}

const IANA_RELATIONS = 'http://www.iana.org/assignments/relation/';

/**
 * `<link>` elements in the Atom namespace (or, for an Atom feed without one,
 * in none). A link without rel is an alternate; among alternates an HTML one wins.
 */
export function atomLinks(el: XmlElement, ns: string | readonly string[]): AtomLinks {
  const alternates: XmlElement[] = [];
  let self: XmlElement | null = null;
  const found: EnclosureInput[] = [];
  for (const link of children(el, ns, 'link')) {
    // Early Atom 0.3 feeds put the URL in the element's text.
    const href = attr(link, 'href') ?? textOf(link);
    if (href.trim() === '') continue;
    const rel = (attr(link, 'rel') ?? 'alternate').trim().toLowerCase().replace(IANA_RELATIONS, '');
    if (rel === 'alternate') alternates.push(link);
    else if (rel === 'self') self ??= link;
    else if (rel === 'enclosure') found.push({ url: href, type: attr(link, 'type'), length: attr(link, 'length'), base: link.base });
  }
  const html = alternates.find((l) => /^(text\/html|application\/xhtml\+xml)?$/i.test(attr(l, 'type')?.trim() ?? ''));
  const alternate = html ?? alternates[0] ?? null;
  return {
    alternate: alternate && { href: attr(alternate, 'href') ?? textOf(alternate), base: alternate.base },
    self: self && { href: attr(self, 'href') ?? textOf(self), base: self.base },
    enclosures: found,
  };
}

/** Media RSS `<media:content>`, directly or inside `<media:group>`. */
export function mediaEnclosures(item: XmlElement): EnclosureInput[] {
  const contents = [item, ...children(item, 'media', 'group')].flatMap((el) => children(el, 'media', 'content'));
  return contents.map((c) => ({ url: attr(c, 'url'), type: attr(c, 'type'), length: attr(c, 'filesize'), base: c.base }));
}
