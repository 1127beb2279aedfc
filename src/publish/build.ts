import type { Item, PublishedFeed } from '../core/types.ts';
import { htmlToText } from '../ingest/sanitize.ts';
import type { RenderFeed, RenderItem } from './render/types.ts';

export interface BuildContext {
  baseUrl: string;
  selfUrl: string;
  nextUrl: string | null;
  previousUrl: string | null;
  firstUrl: string | null;
  hubs: string[];
  generator: string;
  /** Absolute URL of the feed's icon, or null. */
  iconUrl: string | null;
  /** Used when the feed has no items yet. */
  emptyUpdated: Date;
}

const hasScheme = (s: string) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(s);

/** Atom ids must be IRIs; an upstream guid like "12345" becomes a tag: URI that never changes. */
export function stableGuid(item: Pick<Item, 'guid' | 'sourceId'>, baseUrl: string): string {
  if (hasScheme(item.guid)) return item.guid;
  const host = new URL(baseUrl).hostname;
  return `tag:${host},2026:${item.sourceId ?? 'push'}:${encodeURIComponent(item.guid)}`;
}

export function itemLink(item: Pick<Item, 'id' | 'url' | 'shortCode'>, feed: Pick<PublishedFeed, 'links'>, baseUrl: string): string {
  if (feed.links === 'short' && item.shortCode) return `${baseUrl}/s/${encodeURIComponent(item.shortCode)}`;
  return item.url ?? `${baseUrl}/items/${item.id}`;
}

function toRenderItem(item: Item, feed: PublishedFeed, baseUrl: string): RenderItem {
  const guid = stableGuid(item, baseUrl);
  return {
    guid,
    guidIsPermaLink: /^https?:\/\//.test(guid) && guid === item.url,
    link: itemLink(item, feed, baseUrl),
    title: item.title,
    contentHtml: item.content,
    summary: item.summary ? htmlToText(item.summary) : null,
    author: item.author,
    categories: item.categories.map((c) => ({ term: c.slug, label: c.name })),
    published: item.publishedAt,
    updated: item.updatedAt,
    enclosures: item.enclosures,
  };
}

export function buildRenderFeed(feed: PublishedFeed, items: Item[], ctx: BuildContext): RenderFeed {
  const newest = items.reduce<Date | null>((max, i) => (!max || i.changedAt > max ? i.changedAt : max), null);
  return {
    selfUrl: ctx.selfUrl,
    htmlUrl: `${ctx.baseUrl}/feeds/${feed.slug}`,
    id: `${ctx.baseUrl}/feeds/${feed.slug}`,
    title: feed.title,
    description: feed.description,
    language: feed.language,
    updated: newest ?? ctx.emptyUpdated,
    hubs: ctx.hubs,
    iconUrl: ctx.iconUrl,
    generator: ctx.generator,
    ttlMinutes: Math.max(1, Math.round(feed.maxAgeSeconds / 60)),
    nextUrl: ctx.nextUrl,
    previousUrl: ctx.previousUrl,
    firstUrl: ctx.firstUrl,
    items: items.map((item) => toRenderItem(item, feed, ctx.baseUrl)),
  };
}
