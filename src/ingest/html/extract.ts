/**
 * Article page → RawItem, field by field, with what each selector found. Pure. An
 * article without a title or a body gives no item at all: a malformed page never
 * becomes half an item. Other fields are best effort and say why when they fail.
 */
import { clampDate, parseDate } from '../../core/dates.ts';
import { toAsciiDigits } from '../../core/persian.ts';
import { resolveUrl } from '../../core/urls.ts';
import type { Enclosure } from '../../core/types.ts';
import type { RawItem } from '../prepare.ts';
import { htmlToText } from '../sanitize.ts';
import { absolutise, innerHtml, innermost, outermost, parseQuery, select, textOf, valueOf, type Element, type Page, type Query } from './dom.ts';
import type { ArticleField, FieldSelector, ResolvedSelectors } from './selectors.ts';

export interface FieldOutcome {
  /** The alternative that gave the value, or that matched first when none gave one; null when nothing matched. */
  selector: string | null;
  /** What was read, short, for reports: the title, an ISO date, labels joined by « · », a code. */
  value: string | null;
  /** Why there is no value; null when there is one. */
  problem: string | null;
}

export interface ArticleExtract {
  /** Null when the title or the body is missing. */
  item: RawItem | null;
  fields: Partial<Record<ArticleField, FieldOutcome>>;
  /** Why the article was skipped; empty when it gave an item. */
  problems: string[];
}

export interface ExtractOptions {
  /** IANA zone for dates that name none; Jalali dates default to Asia/Tehran. */
  timeZone?: string | null;
  now: Date;
}

type Found<T> = { value: T; shown: string } | { problem: string };
type Reader<T> = (elements: Element[], query: Query, page: Page) => Found<T>;

/** Tries each alternative in turn; the first that matches and reads wins. */
function readField<T>(page: Page, selector: FieldSelector | undefined, read: Reader<T>): { value: T | null; outcome: FieldOutcome } {
  if (!selector) return { value: null, outcome: { selector: null, value: null, problem: 'no selector' } };
  let first: { selector: string; problem: string } | null = null;
  for (const alternative of selector.alternatives) {
    const query = parseQuery(alternative);
    const elements = select(page.doc, query.css);
    if (elements.length === 0) continue;
    const found = read(elements, query, page);
    if ('value' in found) return { value: found.value, outcome: { selector: alternative, value: found.shown, problem: null } };
    first ??= { selector: alternative, problem: found.problem };
  }
  if (first) return { value: null, outcome: { selector: first.selector, value: null, problem: first.problem } };
  return { value: null, outcome: { selector: null, value: null, problem: `matched nothing (${describe(selector)})` } };
}

const describe = (selector: FieldSelector) => selector.alternatives.map((a) => JSON.stringify(a)).join(' or ');
const quote = (text: string, max = 80) => `«${text.length > max ? `${text.slice(0, max)}…` : text}»`;

export function extractArticle(page: Page, url: string, selectors: ResolvedSelectors, opts: ExtractOptions): ArticleExtract {
  const title = readField(page, selectors.title, readTitle);
  const content = readField(page, selectors.content, readContent);
  const date = readField(page, selectors.date, readDateWith(opts));
  const categories = readField(page, selectors.categories, readLabels);
  const author = readField(page, selectors.author, readAuthor);
  const image = readField(page, selectors.image, readImage);
  const shortCode = readField(page, selectors.shortCode, readShortCode);

  const fields: ArticleExtract['fields'] = { title: title.outcome, date: date.outcome, content: content.outcome, categories: categories.outcome };
  if (selectors.author) fields.author = author.outcome;
  if (selectors.image) fields.image = image.outcome;
  if (selectors.shortCode) fields.shortCode = shortCode.outcome;

  const problems: string[] = [];
  if (title.value === null) problems.push(`title: ${title.outcome.problem}`);
  if (content.value === null) problems.push(`content: ${content.outcome.problem}`);
  if (title.value === null || content.value === null) return { item: null, fields, problems };

  const enclosures: Enclosure[] = image.value ? [{ url: image.value, type: imageType(image.value), length: null }] : [];
  return {
    item: {
      guid: null,
      url,
      title: title.value,
      content: content.value,
      summary: null,
      author: author.value,
      publishedAt: date.value,
      labels: categories.value ?? [],
      enclosures,
      shortCode: shortCode.value,
    },
    fields,
    problems,
  };
}

const readTitle: Reader<string> = (elements, query) => {
  const text = elements.map((el) => valueOf(el, query)).find((t) => t !== '');
  return text ? { value: text, shown: text } : { problem: 'matched only empty elements' };
};

/** The matched elements' inner HTML, outer ones only, with absolute URLs; empty bodies do not count. */
const readContent: Reader<string> = (elements, _query, page) => {
  const parts = outermost(elements).map((el) => {
    absolutise(el, page.base);
    return innerHtml(el).trim();
  });
  const html = parts.filter((p) => p !== '').join('\n');
  const text = htmlToText(html);
  if (text === '' && !/<(img|video|audio|iframe)\b/i.test(html)) return { problem: 'matched only empty elements' };
  return { value: html, shown: text.length > 120 ? `${text.slice(0, 120)}…` : text };
};

function readDateWith(opts: ExtractOptions): Reader<Date> {
  return (elements, query) => {
    let unreadable: string | null = null;
    for (const el of elements) {
      for (const text of dateCandidates(el, query)) {
        const date = readDate(text, opts);
        if (date) return { value: date, shown: date.toISOString() };
        unreadable ??= text;
      }
    }
    return { problem: `matched ${quote(unreadable ?? '')} but it is not a date Chapar can read (ISO 8601, RFC 822 or Jalali)` };
  };
}

/** A `<time datetime>` or `<meta content>` says it best; the text is the fallback. */
function dateCandidates(el: Element, query: Query): string[] {
  if (query.attribute !== null) return [valueOf(el, query)].filter(Boolean);
  return [el.attribs.datetime, el.attribs.content, textOf(el)].filter((t): t is string => !!t && t.trim() !== '');
}

const MAX_DATE_WORDS = 8;

/**
 * The date in a text that may carry labels around it («منتشر شده در …», «… بازدید: ۳۴»):
 * the whole text first, then ever shorter runs of words, longest and leftmost first.
 */
export function readDate(text: string, opts: ExtractOptions): Date | null {
  const parse = (s: string) => clampDate(parseDate(s, { now: opts.now, ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) }), opts.now);
  const whole = parse(text);
  if (whole) return whole;
  const words = text.split(/\s+/).filter((w) => w !== '');
  for (let length = Math.min(words.length - 1, MAX_DATE_WORDS); length >= 2; length--) {
    for (let start = 0; start + length <= words.length; start++) {
      const run = words.slice(start, start + length).join(' ').replace(/^[:\-–|،,]+|[:\-–|،,]+$/g, '');
      const date = parse(run);
      if (date) return date;
    }
  }
  return null;
}

/** Labels from links or list items when the selector matched their container, else the elements' text. */
const readLabels: Reader<string[]> = (elements, query) => {
  const labels: string[] = [];
  for (const el of outermost(elements)) {
    if (query.attribute !== null) {
      labels.push(valueOf(el, query));
      continue;
    }
    const links = select(el, 'a');
    const items = links.length > 0 ? links : select(el, 'li');
    labels.push(...(items.length > 0 ? items.map((i) => textOf(i)) : [textOf(el)]));
  }
  const unique = [...new Set(labels.map((l) => l.replace(/[:،,]\s*$/, '').trim()).filter((l) => l !== ''))];
  return unique.length > 0 ? { value: unique, shown: unique.join(' · ') } : { problem: 'matched only empty elements' };
};

/** «نوشته شده توسط: علی» → «علی». */
const readAuthor: Reader<string> = (elements, query) => {
  const text = elements.map((el) => valueOf(el, query).replace(/^[^:]*:\s*/, '').trim()).find((t) => t !== '');
  return text ? { value: text, shown: text } : { problem: 'matched only empty elements' };
};

const readImage: Reader<string> = (elements, query, page) => {
  for (const el of elements) {
    const img = el.name === 'img' ? el : select(el, 'img')[0];
    const raw =
      query.attribute !== null
        ? valueOf(el, query)
        : (img && (img.attribs['data-src'] || img.attribs.src)) || el.attribs.content || el.attribs.href;
    const url = resolveUrl(raw, page.base);
    if (url) return { value: url, shown: url };
  }
  return { problem: 'matched, but found no image address' };
};

function imageType(url: string): string | null {
  const ext = /\.([a-z0-9]{3,4})(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const types: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml' };
  return ext ? (types[ext] ?? null) : null;
}

/** The upstream short code: «آدرس کوتاه شده: 3643», a short link https://site/3643, or WordPress's ?p=123. */
const readShortCode: Reader<string> = (elements, query, page) => {
  let seen: string | null = null;
  for (const el of query.attribute !== null ? elements : innermost(elements)) {
    // A label in its own element («<span>آدرس کوتاه شده:</span> <span>3643</span>») holds no code; its parent does.
    for (let node: Element | null = el, up = 0; node && up <= 2; node = node.parent as Element | null, up++) {
      if (node.type !== 'tag') break;
      const text = valueOf(node, query);
      const code = shortCodeIn(text, page.base) ?? shortCodeIn(select(node, 'a[href]')[0]?.attribs.href ?? '', page.base);
      if (code) return { value: code, shown: code };
      seen ??= text;
      if (query.attribute !== null) break;
    }
  }
  return { problem: `matched ${quote(seen ?? '')} but found no short code in it` };
};

const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const LABEL = /(?:آدرس|لینک|پیوند)\s*[کك]وتاه(?:\s*شده)?|short\s*(?:url|link)/i;

export function shortCodeIn(text: string, base: string): string | null {
  const label = LABEL.exec(text);
  const after = (label ? text.slice(label.index + label[0].length) : text).replace(/^[\s:：\-–]+/, '');
  const token = toAsciiDigits(after.split(/\s+/)[0] ?? '');
  if (token === '') return null;
  if (CODE.test(token)) return token;
  return /^(https?:)?\/\//i.test(token) || token.startsWith('/') ? codeInUrl(token, base) : null;
}

/** A short link's code: its one path segment, or its one query value (`?p=123`). */
function codeInUrl(href: string, base: string): string | null {
  const absolute = resolveUrl(href, base);
  if (absolute === null) return null;
  const url = new URL(absolute);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const params = [...url.searchParams.values()];
  if (params.length === 1 && segments.length <= 1 && (segments.length === 0 || /\.php$/i.test(segments[0]!))) {
    return CODE.test(params[0]!) ? params[0]! : null;
  }
  if (segments.length === 1 && params.length === 0) {
    const segment = safeDecode(segments[0]!);
    return CODE.test(segment) ? segment : null;
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
