import { hashJson, hashText } from '../core/hash.ts';
import { collapseSpaces, normaliseKey } from '../core/persian.ts';
import type { RuleSubject } from '../core/rules.ts';
import { stripTracking } from '../core/urls.ts';
import type { Enclosure } from '../core/types.ts';
import type { ItemInput } from '../db/repos/items.ts';
import { sanitizeHtmlAndText } from './sanitize.ts';

/** An item as it arrives, from a parsed feed, the push API or the config files. */
export interface RawItem {
  guid?: string | null;
  title?: string | null;
  url?: string | null;
  summary?: string | null;
  content?: string | null;
  author?: string | null;
  publishedAt?: Date | null;
  updatedAt?: Date | null;
  labels?: string[];
  enclosures?: Enclosure[];
  shortCode?: string | null;
}

export interface PrepareContext {
  sourceId: number | null;
  categoryIds: number[];
  /** Base for relative URLs in content. */
  baseUrl: string | null;
  /** First-seen time, used when the item carries no date. */
  now: Date;
  /** More categories decided from the item's cleaned text (rules); they count in the content hash. */
  categorise?: (item: RuleSubject) => number[];
}

/** Sanitised HTML (null when nothing is left) and its plain text. */
const clean = (html: string | null | undefined, base: string | null): { html: string | null; text: string } => {
  const out = html ? sanitizeHtmlAndText(html, base) : null;
  return out === null || out.html === '' ? NOTHING : out;
};
const NOTHING = { html: null, text: '' };

/**
 * Turns a raw item into what the store keeps: sanitised HTML, tracking-free URL, identity
 * (guid, else link, else a hash of title and date, as FreshRSS does), a hash of everything a
 * reader sees (to tell an edit from a repeat) and the normalised search text.
 */
export function prepareItem(raw: RawItem, ctx: PrepareContext): ItemInput {
  const url = raw.url ? stripTracking(raw.url) : null;
  const { html: content, text: contentText } = clean(raw.content, url ?? ctx.baseUrl);
  const { html: summary, text: summaryText } = clean(raw.summary, url ?? ctx.baseUrl);
  // Titles arrive as plain text (the parser decodes them); stripping tags again would eat «<b>» written as text.
  const titleText = collapseSpaces(raw.title ?? '').trim();
  const title = titleText || (summary === null ? contentText : summaryText).slice(0, 80).trim() || (url ?? 'untitled');
  const publishedAt = raw.publishedAt ?? ctx.now;
  // The hash uses the item's own date, never the first-seen time, so a repeat hashes alike.
  const guid = raw.guid?.trim() || url || `urn:chapar:${hashText(`${title}\n${raw.publishedAt?.toISOString() ?? ''}`)}`;
  const labels = [...new Set((raw.labels ?? []).map((l) => l.trim()).filter(Boolean))];
  const author = raw.author ?? null;
  const decided = ctx.categorise?.({ title, summary: summaryText, content: contentText, url, author, labels }) ?? [];
  const categoryIds = [...new Set([...ctx.categoryIds, ...decided])].sort((a, b) => a - b);
  const updatedAt = raw.updatedAt ?? null;
  const enclosures = raw.enclosures ?? [];
  // What a reader sees, in this order (it is part of the hash), written out: spreading one
  // object of these into both cost about 1 µs an item. An undated item hashes without its
  // first-seen time, so seeing it again is not an edit.
  const contentHash = hashJson({ url, title, summary, content, author, updatedAt, labels, categoryIds, enclosures, publishedAt: raw.publishedAt ?? null });
  return {
    sourceId: ctx.sourceId,
    identity: guid,
    guid,
    url,
    title,
    summary,
    content,
    author,
    updatedAt,
    labels,
    categoryIds,
    enclosures,
    publishedAt,
    shortCode: raw.shortCode ?? null,
    searchText: normaliseKey([title, summaryText, contentText].join(' ')),
    contentHash,
  };
}
