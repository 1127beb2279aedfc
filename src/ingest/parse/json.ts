import type { ParseDateOptions } from '../../core/dates.ts';
import type { ParsedFeed, ParsedItem } from '../../core/types.ts';
import { resolveUrl } from '../../core/urls.ts';
import { looksLikeHtml, toHtml, toText } from './text.ts';
import { enclosures, isoDate, itemUrl, joinNames, labels, languageTag, personName } from './values.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * JSON Feed 1.0 and 1.1 (`author` or `authors`, `language`). Relative URLs
 * resolve against the document's location, else its `feed_url` or `home_page_url`.
 */
export function parseJsonFeed(text: string, baseUrl: string | null, opts: ParseDateOptions): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`parse: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(doc) || !(str(doc.version)?.includes('jsonfeed.org/version/') || Array.isArray(doc.items))) {
    throw new Error('parse: JSON document is not a JSON Feed (no jsonfeed.org version and no items)');
  }
  const base = httpBase(baseUrl) ?? resolveUrl(str(doc.feed_url), null) ?? resolveUrl(str(doc.home_page_url), null);
  const feedAuthor = authorsOf(doc);
  return {
    format: 'json',
    feed: {
      title: plain(doc.title),
      link: resolveUrl(str(doc.home_page_url), base),
      language: languageTag(str(doc.language)),
      updated: null,
    },
    items: list(doc.items)
      .filter(isObject)
      .map((item) => parseItem(item, base, feedAuthor, opts)),
  };
}

function parseItem(item: Json, base: string | null, feedAuthor: string | null, opts: ParseDateOptions): ParsedItem {
  const id = typeof item.id === 'number' && Number.isFinite(item.id) ? String(item.id) : str(item.id)?.trim() ?? null;
  const html = str(item.content_html);
  const text = str(item.content_text);
  const summary = str(item.summary);
  return {
    guid: id,
    title: plain(item.title),
    url: itemUrl(str(item.url), base) ?? itemUrl(str(item.external_url), base),
    summary: toHtml(summary === null ? null : { kind: 'text', value: summary, base }),
    content: toHtml(html !== null ? { kind: 'html', value: html, base } : text !== null ? { kind: 'text', value: text, base } : null),
    author: authorsOf(item) ?? feedAuthor,
    categories: labels(list(item.tags).map(str)),
    publishedAt: isoDate(opts, str(item.date_published)),
    updatedAt: isoDate(opts, str(item.date_modified)),
    enclosures: enclosures(
      list(item.attachments)
        .filter(isObject)
        .map((a) => ({
          url: str(a.url),
          type: str(a.mime_type),
          length: typeof a.size_in_bytes === 'number' ? a.size_in_bytes : null,
          base,
        })),
    ),
  };
}

/** JSON Feed titles are plain text, but CMS plugins often leave entities in them. */
function plain(v: unknown): string | null {
  const s = str(v);
  if (s === null) return null;
  return toText({ kind: looksLikeHtml(s) ? 'html' : 'text', value: s, base: null });
}

/** 1.1's `authors` array, else 1.0's single `author`. */
function authorsOf(o: Json): string | null {
  const people = Array.isArray(o.authors) ? o.authors : isObject(o.author) ? [o.author] : [];
  return joinNames(people.filter(isObject).map((p) => personName(str(p.name))));
}

function httpBase(url: string | null): string | null {
  return url !== null && /^https?:/i.test(url) ? resolveUrl(url, null) : null;
}
