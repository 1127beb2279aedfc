import type { Enclosure } from '../../core/types.ts';
import { rfc3339 } from './dates.ts';
import { authorName, looksLikeHtml, nonEmpty, textToHtml } from './text.ts';
import type { RenderFeed, RenderItem } from './types.ts';
import { isAbsoluteHttpUrl, toUri } from './url.ts';
import { escapeAttr, escapeMarkup, escapeText, stripInvalidXml } from './xml.ts';

/** Atom 1.0 (RFC 4287) with RFC 5005 paging and WebSub hub links. */
export function renderAtom(feed: RenderFeed): string {
  const language = nonEmpty(feed.language);
  const lang = language === null ? '' : ` xml:lang="${escapeAttr(language)}"`;
  const description = nonEmpty(feed.description);
  // Atom needs an author on every entry; the feed's own stands in for entries that have none.
  const needsFeedAuthor = feed.items.some((item) => authorName(item.author) === null);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom"${lang}>`,
    `<id>${escapeText(atomId(feed.id))}</id>`,
    textConstruct('title', feed.title),
    description === null ? '' : textConstruct('subtitle', description),
    `<updated>${rfc3339(feed.updated)}</updated>`,
    link('alternate', feed.htmlUrl, 'text/html'),
    link('self', feed.selfUrl, 'application/atom+xml'),
    ...feed.hubs.map((hub) => link('hub', hub, null)),
    // "previous", not "prev": the W3C Feed Validation Service knows RFC 5005's name and warns on the other.
    feed.firstUrl === null ? '' : link('first', feed.firstUrl, 'application/atom+xml'),
    feed.previousUrl === null ? '' : link('previous', feed.previousUrl, 'application/atom+xml'),
    feed.nextUrl === null ? '' : link('next', feed.nextUrl, 'application/atom+xml'),
    feed.iconUrl === null ? '' : `<icon>${escapeText(toUri(feed.iconUrl))}</icon>`,
    needsFeedAuthor
      ? `<author><name>${escapeText(feed.title)}</name><uri>${escapeText(toUri(feed.htmlUrl))}</uri></author>`
      : '',
    `<generator>${escapeText(feed.generator)}</generator>`,
    ...feed.items.map((item) => renderEntry(feed, item)),
    '</feed>',
  ];
  return lines.filter((line) => line !== '').join('\n') + '\n';
}

function link(rel: string, href: string, type: string | null): string {
  const typeAttr = type === null ? '' : ` type="${type}"`;
  return `<link rel="${rel}"${typeAttr} href="${escapeAttr(toUri(href))}"/>`;
}

const TAG_URI = /^tag:[a-z0-9._-]+(@[a-z0-9.-]+)?,\d{4}(-\d{2}(-\d{2})?)?:[0-9A-Za-z;/?:@&=+$.\-_!~*'()%,]*(#[0-9A-Za-z;/?:@&=+$.\-_!~*'()%,]*)?$/;
const URN = /^urn:[a-z0-9][a-z0-9-]{1,31}:([a-z0-9()+,.:=@;$_!*'-]|%[0-9a-f]{2})+$/i;

/** The value as an Atom id when it already is an absolute http(s), tag: or urn: URI; else null. */
function asAtomId(value: string): string | null {
  if (isAbsoluteHttpUrl(value)) return toUri(value);
  if (TAG_URI.test(value) || URN.test(value)) return value;
  return null;
}

function atomId(feedId: string): string {
  return asAtomId(feedId) ?? feedId;
}

/**
 * Atom ids must be URIs, but upstream guids are often bare strings ("12345", "post-9@site").
 * Those get a stable id under the feed's own: the same guid always yields the same id.
 */
function entryId(feed: RenderFeed, guid: string): string {
  const id = asAtomId(guid);
  if (id !== null) return id;
  const base = atomId(feed.id).split('#')[0] ?? '';
  // Stripping first also removes lone surrogates, which encodeURIComponent refuses.
  return `${base}#guid=${encodeURIComponent(stripInvalidXml(guid).normalize('NFC'))}`;
}

function renderEntry(feed: RenderFeed, item: RenderItem): string {
  const content = nonEmpty(item.contentHtml);
  const summary = nonEmpty(item.summary);
  const author = authorName(item.author);
  const title = nonEmpty(item.title) ?? toUri(item.link);
  const lines = [
    '<entry>',
    `<id>${escapeText(entryId(feed, item.guid))}</id>`,
    textConstruct('title', title),
    link('alternate', item.link, 'text/html'),
    `<published>${rfc3339(item.published)}</published>`,
    `<updated>${rfc3339(item.updated ?? item.published)}</updated>`,
    author === null ? '' : `<author><name>${escapeText(author)}</name></author>`,
    ...item.categories.map(
      (category) => `<category term="${escapeAttr(category.term)}" label="${escapeAttr(nonEmpty(category.label) ?? category.term)}"/>`,
    ),
    renderSummary(summary, content === null ? title : null),
    content === null ? '' : `<content type="html">${escapeMarkup(content)}</content>`,
    ...item.enclosures.map(renderEnclosure),
    '</entry>',
  ];
  return lines.filter((line) => line !== '').join('\n');
}

/** Without content an entry needs a summary (RFC 4287 4.1.1.1); the title stands in when there is none. */
function renderSummary(summary: string | null, fallback: string | null): string {
  if (summary !== null && looksLikeHtml(summary)) return `<summary type="html">${escapeMarkup(summary)}</summary>`;
  const text = summary ?? fallback;
  return text === null ? '' : textConstruct('summary', text);
}

/**
 * Plain text as an Atom text construct. Text that contains what looks like an HTML end tag
 * ("</b>") is sent as type="html" with the text HTML-escaped: readers show the same characters,
 * and validators stop suspecting undeclared markup.
 */
function textConstruct(name: string, text: string): string {
  return /<\/[a-zA-Z][a-zA-Z0-9]*\s*>/.test(text)
    ? `<${name} type="html">${escapeMarkup(textToHtml(text))}</${name}>`
    : `<${name} type="text">${escapeText(text)}</${name}>`;
}

function renderEnclosure(enclosure: Enclosure): string {
  const mediaType = nonEmpty(enclosure.type);
  const type = mediaType === null ? '' : ` type="${escapeAttr(mediaType)}"`;
  // Upstream feeds write length="0" for "unknown"; Atom lets us simply leave it out.
  const length = enclosure.length !== null && enclosure.length > 0 ? ` length="${Math.round(enclosure.length)}"` : '';
  return `<link rel="enclosure"${type}${length} href="${escapeAttr(toUri(enclosure.url))}"/>`;
}
