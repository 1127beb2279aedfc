/** Chapar's domain, in plain values: no Hono, no database, no network. */

export interface Category {
  id: number;
  slug: string;
  name: string;
  aliases: string[];
  description: string | null;
}

export interface Enclosure {
  url: string;
  type: string | null;
  length: number | null;
}

/** An item as stored and served. Dates are JS Dates in UTC. */
export interface Item {
  id: number;
  sourceId: number | null;
  guid: string;
  url: string | null;
  title: string;
  summary: string | null;
  content: string | null;
  author: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  /** When this row last changed in a way a reader would see (drives ETag/Last-Modified). */
  changedAt: Date;
  /** Upstream labels as published, before mapping to categories. */
  labels: string[];
  categories: Pick<Category, 'slug' | 'name'>[];
  enclosures: Enclosure[];
  shortCode: string | null;
}

export type FilterMatch = 'any' | 'all';

/** The saved filter of a published feed. Every part narrows; absent parts do not filter. */
export interface FeedFilter {
  categories?: string[];
  match?: FilterMatch;
  sources?: number[];
  include?: string[];
  exclude?: string[];
}

export type LinkMode = 'original' | 'short';

export interface PublishedFeed {
  id: number;
  slug: string;
  title: string;
  description: string | null;
  language: string | null;
  filter: FeedFilter;
  limit: number;
  links: LinkMode;
  /** Cache-Control max-age for this feed, in seconds. */
  maxAgeSeconds: number;
  /** Last change to the feed's own settings. */
  updatedAt: Date;
}

export type FeedFormat = 'rss' | 'atom' | 'json';

/** One upstream item after parsing, before storage. Matches the `chapar parse` contract. */
export interface ParsedItem {
  guid: string | null;
  title: string | null;
  url: string | null;
  summary: string | null;
  content: string | null;
  author: string | null;
  categories: string[];
  publishedAt: string | null;
  updatedAt: string | null;
  enclosures?: Enclosure[];
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  feed: { title: string | null; link: string | null; language: string | null; updated: string | null };
  items: ParsedItem[];
}
