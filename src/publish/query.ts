import { z } from 'zod';
import { parseQueryDate } from '../core/dates.ts';
import type { FieldProblem } from '../core/errors.ts';
import type { ItemFilter } from '../core/filter.ts';
import { searchWords } from '../db/fts.ts';
import type { ItemCursor } from '../db/repos/items.ts';

/** A feed request's query, validated: every value a reader can put on a feed URL. */
export interface FeedQuery {
  filter: ItemFilter;
  limit: number | null;
  /** RFC 5005 paging: the page older than this item (`before`) or newer than it (`after`). */
  before: ItemCursor | null;
  after: ItemCursor | null;
}

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a category slug');
const text = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const MAX_TIME = 8.64e15; // the largest time a JS Date holds
const cursor = z
  .string()
  .regex(/^-?[0-9a-z]{1,12}\.[0-9a-z]{1,12}$/, 'must be a cursor from a next or previous link')
  .refine((value) => {
    const { publishedAt, id } = decodeCursor(value);
    return Math.abs(publishedAt) <= MAX_TIME && Number.isSafeInteger(id);
  }, 'must be a cursor from a next or previous link');

const schema = z.object({
  category: z.array(slug).max(20).optional(),
  match: z.enum(['any', 'all']).optional(),
  q: text.refine((q) => searchWords(q).length > 0, 'must hold at least one letter or digit').optional(),
  exclude: z.array(text).max(20).optional(),
  source: z.array(z.string().regex(/^[1-9][0-9]{0,9}$/, 'must be a source id').transform(Number)).max(50).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  limit: z.string().regex(/^[0-9]{1,3}$/, 'must be a whole number from 1 to 100').transform(Number).pipe(z.number().min(1, 'must be at least 1').max(100, 'must be at most 100')).optional(),
  before: cursor.optional(),
  after: cursor.optional(),
});

export function encodeCursor(cursor: ItemCursor): string {
  return `${cursor.publishedAt.toString(36)}.${cursor.id.toString(36)}`;
}

function decodeCursor(value: string): ItemCursor {
  const [at, id] = value.split('.');
  return { publishedAt: parseInt(at!, 36), id: parseInt(id!, 36) };
}

const single = ['match', 'q', 'since', 'until', 'limit', 'before', 'after'] as const;
const repeatable = ['category', 'exclude', 'source'] as const;

/** Reads a feed URL's query; returns the problems, one per bad parameter, when it is invalid. */
export function parseFeedQuery(queries: Record<string, string[]>): { ok: true; query: FeedQuery } | { ok: false; problems: FieldProblem[] } {
  const raw: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const key of single) {
    const values = queries[key];
    if (!values) continue;
    if (values.length > 1) problems.push({ field: key, message: 'must be given at most once' });
    raw[key] = values[0];
  }
  for (const key of repeatable) if (queries[key]) raw[key] = queries[key];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ field: String(issue.path[0] ?? 'query'), message: issue.message });
  }
  const since = raw.since === undefined ? undefined : parseQueryDate(String(raw.since), 'start');
  const until = raw.until === undefined ? undefined : parseQueryDate(String(raw.until), 'end');
  if (since === null) problems.push({ field: 'since', message: 'must be an ISO 8601 date or time (Jalali dates like 1403-07-03 work too)' });
  if (until === null) problems.push({ field: 'until', message: 'must be an ISO 8601 date or time (Jalali dates like 1403-07-03 work too)' });
  if (raw.before !== undefined && raw.after !== undefined) problems.push({ field: 'after', message: 'cannot be combined with before' });
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  const v = parsed.data;
  const filter: ItemFilter = {};
  if (v.category) filter.categories = v.category;
  if (v.match) filter.match = v.match;
  if (v.q) filter.search = [v.q];
  if (v.exclude) filter.exclude = v.exclude;
  if (v.source) filter.sources = v.source;
  if (since) filter.since = since;
  if (until) filter.until = until;
  return {
    ok: true,
    query: { filter, limit: v.limit ?? null, before: v.before ? decodeCursor(v.before) : null, after: v.after ? decodeCursor(v.after) : null },
  };
}
