/**
 * The one schema, SQLite dialect: drizzle-kit turns it into the SQL migrations that
 * better-sqlite3 applies at start and wrangler applies to D1.
 * Times are integer milliseconds since the epoch (UTC).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Enclosure, FeedFilter, LinkMode } from '../core/types.ts';

/** Where a row came from: the admin API/pages, or the config files in `feeds/`. */
export type Origin = 'api' | 'config';

const created = () => integer('created_at', { mode: 'timestamp_ms' }).notNull();
const updated = () => integer('updated_at', { mode: 'timestamp_ms' }).notNull();
const origin = () => text('origin').$type<Origin>().notNull().default('api');

export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** Normalised key of the name, for Persian-aware label matching. */
  nameKey: text('name_key').notNull(),
  aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  description: text('description'),
  origin: origin(),
  createdAt: created(),
  updatedAt: updated(),
});

export type SourceKind = 'feed' | 'html';
export type SourceState = 'active' | 'gone' | 'disabled';

export const sources = sqliteTable(
  'sources',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    url: text('url').notNull().unique(),
    kind: text('kind').$type<SourceKind>().notNull().default('feed'),
    title: text('title'),
    siteUrl: text('site_url'),
    intervalMinutes: integer('interval_minutes').notNull().default(60),
    state: text('state').$type<SourceState>().notNull().default('active'),
    /** Charset to assume when neither the bytes, HTTP nor the prolog say (e.g. windows-1256). */
    charset: text('charset'),
    /** IANA zone for upstream dates that carry none. */
    timeZone: text('time_zone'),
    /** Kind-specific options (HTML selectors, presets, ...). */
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    etag: text('etag'),
    lastModified: text('last_modified'),
    bodyHash: text('body_hash'),
    lastFetchedAt: integer('last_fetched_at', { mode: 'timestamp_ms' }),
    lastSuccessAt: integer('last_success_at', { mode: 'timestamp_ms' }),
    lastUnconditionalAt: integer('last_unconditional_at', { mode: 'timestamp_ms' }),
    lastStatus: text('last_status'),
    lastError: text('last_error'),
    lastErrorAt: integer('last_error_at', { mode: 'timestamp_ms' }),
    errorCount: integer('error_count').notNull().default(0),
    nextCheckAt: integer('next_check_at', { mode: 'timestamp_ms' }),
    /** A per-source lease so two ticks or two processes never fetch one source at once. */
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    leaseOwner: text('lease_owner'),
    origin: origin(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [index('sources_due').on(t.state, t.nextCheckAt)],
);

export const sourceCategories = sqliteTable(
  'source_categories',
  {
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.categoryId] })],
);

export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: integer('source_id').references(() => sources.id, { onDelete: 'set null' }),
    /** `<source id or "push">:<identity>`: one row per upstream item, tombstones included. */
    dedupKey: text('dedup_key').notNull().unique(),
    guid: text('guid').notNull(),
    url: text('url'),
    title: text('title').notNull(),
    summary: text('summary'),
    content: text('content'),
    author: text('author'),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
    firstSeenAt: integer('first_seen_at', { mode: 'timestamp_ms' }).notNull(),
    /** Last change a reader would see; feeds derive ETag/Last-Modified from it. */
    changedAt: integer('changed_at', { mode: 'timestamp_ms' }).notNull(),
    contentHash: text('content_hash').notNull(),
    labels: text('labels', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    enclosures: text('enclosures', { mode: 'json' }).$type<Enclosure[]>().notNull().default(sql`'[]'`),
    /** Persian-normalised title + summary + content text, for search. */
    searchText: text('search_text').notNull().default(''),
    shortCode: text('short_code'),
    /** Set when an admin deletes the item: the row stays so the item never returns. */
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('items_published').on(t.publishedAt, t.id),
    index('items_source_published').on(t.sourceId, t.publishedAt),
    index('items_changed').on(t.changedAt),
  ],
);

export const itemCategories = sqliteTable(
  'item_categories',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.categoryId] }), index('item_categories_category').on(t.categoryId, t.itemId)],
);

export type RuleField = 'title' | 'summary' | 'content' | 'text' | 'url' | 'author' | 'label';
export type RuleOp = 'contains' | 'regex';

export const rules = sqliteTable('rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  categoryId: integer('category_id')
    .notNull()
    .references(() => categories.id, { onDelete: 'cascade' }),
  field: text('field').$type<RuleField>().notNull(),
  op: text('op').$type<RuleOp>().notNull(),
  value: text('value').notNull(),
  origin: origin(),
  createdAt: created(),
});

export const feeds = sqliteTable('feeds', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  description: text('description'),
  language: text('language'),
  filter: text('filter', { mode: 'json' }).$type<FeedFilter>().notNull().default(sql`'{}'`),
  limit: integer('item_limit').notNull().default(50),
  links: text('links').$type<LinkMode>().notNull().default('original'),
  maxAgeSeconds: integer('max_age_seconds').notNull().default(300),
  origin: origin(),
  createdAt: created(),
  updatedAt: updated(),
});

export const links = sqliteTable(
  'links',
  {
    code: text('code').primaryKey(),
    /** Numeric value of a numeric code, so the next one is max + 1. */
    num: integer('num'),
    /** Target URL; null for an item that has no upstream URL (it goes to /items/:id). */
    url: text('url'),
    itemId: integer('item_id').references(() => items.id, { onDelete: 'cascade' }),
    status: integer('status').notNull().default(302),
    clicks: integer('clicks').notNull().default(0),
    createdAt: created(),
  },
  (t) => [uniqueIndex('links_num').on(t.num), index('links_item').on(t.itemId)],
);

export const linkClicks = sqliteTable(
  'link_clicks',
  {
    code: text('code')
      .notNull()
      .references(() => links.code, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    /** Referrer host, or '' when there was none. */
    referrerHost: text('referrer_host').notNull().default(''),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.code, t.day, t.referrerHost] })],
);

export const feedPolls = sqliteTable(
  'feed_polls',
  {
    feedId: integer('feed_id')
      .notNull()
      .references(() => feeds.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    format: text('format').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.day, t.format] })],
);

/** One row per hosted reader (and feed-id) or per distinct client, for subscriber estimates. */
export const feedReaders = sqliteTable(
  'feed_readers',
  {
    feedId: integer('feed_id')
      .notNull()
      .references(() => feeds.id, { onDelete: 'cascade' }),
    readerKey: text('reader_key').notNull(),
    name: text('name').notNull(),
    subscribers: integer('subscribers').notNull().default(1),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.feedId, t.readerKey] }), index('feed_readers_seen').on(t.feedId, t.lastSeenAt)],
);

export const tokens = sqliteTable('tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
  hash: text('hash').notNull().unique(),
  createdAt: created(),
  lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
  revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
