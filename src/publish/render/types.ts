import type { Enclosure } from '../../core/types.ts';

/** Everything a renderer needs, already resolved to absolute URLs. Renderers are pure: (feed) => string. */
export interface RenderItem {
  /** Stable identifier; never changes when link mode or content changes. */
  guid: string;
  /** True when guid is itself the item's permanent URL (RSS isPermaLink). */
  guidIsPermaLink: boolean;
  /** Absolute URL readers open: the original article, its short link, or /items/:id. */
  link: string;
  /** Plain text title (never HTML). */
  title: string;
  /** Sanitised HTML body, or null. */
  contentHtml: string | null;
  /** Plain text or sanitised HTML summary, or null. */
  summary: string | null;
  author: string | null;
  categories: { term: string; label: string }[];
  published: Date;
  updated: Date | null;
  enclosures: Enclosure[];
}

export interface RenderFeed {
  /** Absolute URL of the feed as requested, query included (rel="self"). */
  selfUrl: string;
  /** Absolute URL of the HTML view of this feed. */
  htmlUrl: string;
  /** Stable feed id (tag: or URL) for Atom <id> and JSON Feed. */
  id: string;
  title: string;
  description: string | null;
  /** BCP 47 language tag, e.g. "fa". */
  language: string | null;
  /** Newest change among the items, or the feed's own change time when empty. */
  updated: Date;
  hubs: string[];
  iconUrl: string | null;
  generator: string;
  /** RSS <ttl>, minutes. */
  ttlMinutes: number;
  /** RFC 5005 next (older) page, absolute, or null on the last page. */
  nextUrl: string | null;
  /** RFC 5005 previous (newer) page, absolute, or null on the first page. */
  previousUrl: string | null;
  /** RFC 5005 first (newest) page, absolute, or null when the feed fits on one page. */
  firstUrl: string | null;
  items: RenderItem[];
}
