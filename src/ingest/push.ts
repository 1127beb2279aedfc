import { clampDate, parseDate } from '../core/dates.ts';
import { compileRules, matchRules } from '../core/rules.ts';
import { ValidationError, type FieldProblem } from '../core/errors.ts';
import type { Repos } from '../db/repos/index.ts';
import type { UpsertResult } from '../db/repos/items.ts';
import { prepareItem } from './prepare.ts';

/** One item pushed by an admin (API or config file), already shape-checked. */
export interface PushedItem {
  title: string;
  url?: string | undefined;
  guid?: string | undefined;
  content?: string | undefined;
  summary?: string | undefined;
  author?: string | undefined;
  publishedAt?: string | undefined;
  categories?: string[] | undefined;
  shortCode?: string | undefined;
}

/**
 * Stores pushed items with the same normalisation and identity rules as fetched ones.
 * All or nothing: any bad item fails the whole push with every problem named by index.
 */
export async function pushItems(
  repos: Repos,
  pushed: PushedItem[],
  now: Date,
  fieldOf: (index: number, field: string) => string = (index, field) => `${index}.${field}`,
): Promise<UpsertResult[]> {
  const slugs = [...new Set(pushed.flatMap((p) => p.categories ?? []))];
  const ids = await repos.categories.idsBySlugs(slugs);
  // Pushed items follow the same rules as fetched ones.
  const rules = compileRules(await repos.rules.all());
  const problems: FieldProblem[] = [];
  const prepared = pushed.map((item, index) => {
    for (const slug of item.categories ?? []) {
      if (!ids.has(slug)) problems.push({ field: fieldOf(index, 'categories'), message: `no category "${slug}"` });
    }
    let publishedAt: Date | null = null;
    if (item.publishedAt !== undefined) {
      publishedAt = clampDate(parseDate(item.publishedAt), now);
      if (!publishedAt) problems.push({ field: fieldOf(index, 'publishedAt'), message: 'is not a date Chapar can read (ISO 8601, RFC 822 or Jalali)' });
    }
    return prepareItem(
      {
        guid: item.guid ?? null,
        title: item.title,
        url: item.url ?? null,
        summary: item.summary ?? null,
        content: item.content ?? null,
        author: item.author ?? null,
        publishedAt,
        shortCode: item.shortCode ?? null,
      },
      {
        sourceId: null,
        categoryIds: (item.categories ?? []).map((s) => ids.get(s) ?? 0),
        baseUrl: item.url ?? null,
        now,
        categorise: (subject) => matchRules(subject, rules),
      },
    );
  });
  if (problems.length > 0) throw new ValidationError('some items are invalid; nothing was stored', problems);
  return repos.items.upsert(prepared);
}
