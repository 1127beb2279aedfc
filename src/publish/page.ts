/** One page of a published feed: its saved filter and the request's query, in RFC 5005 pages. */
import type { Item, PublishedFeed } from '../core/types.ts';
import type { ItemCursor } from '../db/repos/items.ts';
import type { Repos } from '../db/repos/index.ts';
import type { FeedQuery } from './query.ts';

export interface FeedPage {
  items: Item[];
  /** Cursor of the next (older) page, or null on the oldest. */
  older: ItemCursor | null;
  /** Cursor of the previous (newer) page, or null on the newest. */
  newer: ItemCursor | null;
}

const cursorOf = (item: Item): ItemCursor => ({ publishedAt: item.publishedAt.getTime(), id: item.id });

/** A query can lower the page size below the feed's, never raise it. */
export const pageSize = (feed: PublishedFeed, query: FeedQuery) => Math.min(query.limit ?? feed.limit, feed.limit, 100);

export async function loadFeedPage(repos: Repos, feed: PublishedFeed, query: FeedQuery): Promise<FeedPage> {
  const size = pageSize(feed, query);
  const filters = [feed.filter, query.filter];
  // One item more than the page shows tells whether another page lies beyond it.
  if (query.after) {
    const found = await repos.items.list(filters, { limit: size + 1, after: query.after });
    const items = found.slice(-size);
    const first = items[0];
    const last = items.at(-1);
    return { items, newer: found.length > size && first ? cursorOf(first) : null, older: last ? cursorOf(last) : null };
  }
  const found = await repos.items.list(filters, { limit: size + 1, ...(query.before ? { before: query.before } : {}) });
  const items = found.slice(0, size);
  const first = items[0];
  const last = items.at(-1);
  return { items, newer: query.before && first ? cursorOf(first) : null, older: found.length > size && last ? cursorOf(last) : null };
}
