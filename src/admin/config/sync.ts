import { type FieldProblem, ValidationError } from '../../core/errors.ts';
import type { Repos } from '../../db/repos/index.ts';
import { pushItems } from '../../ingest/push.ts';
import { zodProblems } from '../../http/validate.ts';
import { configFile, type ConfigFile } from './schema.ts';

export interface ConfigDocument {
  /** File name, for error messages. */
  file: string;
  data: unknown;
}

export interface SyncReport {
  created: number;
  updated: number;
  unchanged: number;
  items: { new: number; updated: number; unchanged: number };
  /** Objects changed through the API since the files last set them: left as they are. */
  conflicts: string[];
}

/** A problem in a config file: the message names the file and the field. */
export class ConfigError extends ValidationError {}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Checks every file and the references between them before anything is written. */
export function validateConfig(documents: ConfigDocument[], knownCategories: Set<string>): { file: string; config: ConfigFile }[] {
  const problems: FieldProblem[] = [];
  const valid: { file: string; config: ConfigFile }[] = [];
  for (const doc of documents) {
    const parsed = configFile.safeParse(doc.data);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error).map((p) => ({ ...p, field: `${doc.file}: ${p.field}` })));
      continue;
    }
    valid.push({ file: doc.file, config: parsed.data });
  }
  const slugs = new Set([...knownCategories, ...valid.flatMap((v) => (v.config.categories ?? []).map((c) => c.slug))]);
  for (const { file, config } of valid) {
    const check = (list: string[] | undefined, field: string) => {
      for (const s of list ?? []) if (!slugs.has(s)) problems.push({ field: `${file}: ${field}`, message: `no category "${s}"` });
    };
    config.feeds?.forEach((f, i) => check(f.filter?.categories, `feeds.${i}.filter.categories`));
    config.sources?.forEach((s, i) => check(s.categories, `sources.${i}.categories`));
    config.items?.forEach((it, i) => check(it.categories, `items.${i}.categories`));
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new ConfigError(`config: ${first.field}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems);
  }
  return valid;
}

/**
 * Applies config files idempotently: creates what is missing, updates what the files own,
 * and reports (never overwrites) objects an admin changed through the API.
 */
export async function syncConfig(repos: Repos, documents: ConfigDocument[], now: Date): Promise<SyncReport> {
  const existing = await repos.categories.list({ limit: 100_000 });
  const files = validateConfig(documents, new Set(existing.map((c) => c.slug)));
  const report: SyncReport = { created: 0, updated: 0, unchanged: 0, items: { new: 0, updated: 0, unchanged: 0 }, conflicts: [] };

  type Current<T> = { value: T; origin: 'api' | 'config' } | null;
  async function reconcile<T>(label: string, current: Current<T>, wanted: Partial<T>, create: () => Promise<unknown>, update: () => Promise<unknown>) {
    if (!current) {
      await create();
      report.created++;
    } else if (Object.entries(wanted).every(([k, v]) => v === undefined || same((current.value as Record<string, unknown>)[k], v))) {
      report.unchanged++;
    } else if (current.origin === 'api') {
      report.conflicts.push(`${label} was changed through the API; the config file's version was not applied`);
    } else {
      await update();
      report.updated++;
    }
  }

  for (const { config } of files) {
    for (const category of config.categories ?? []) {
      const current = await repos.categories.bySlugWithOrigin(category.slug);
      await reconcile(`category "${category.slug}"`, current, category, () => repos.categories.create(category, 'config'), () => repos.categories.update(category.slug, category, 'config'));
    }
  }
  for (const { config } of files) {
    for (const source of config.sources ?? []) {
      const { categories: slugs, ...fields } = source;
      const ids = await repos.categories.idsBySlugs(slugs ?? []);
      const wanted = { ...fields, categoryIds: (slugs ?? []).map((s) => ids.get(s)!) };
      const current = await repos.sources.byUrl(source.url);
      await reconcile(
        `source ${source.url}`,
        current ? { value: current, origin: current.origin } : null,
        wanted,
        () => repos.sources.create(wanted, 'config'),
        () => repos.sources.update(current!.id, wanted, 'config'),
      );
    }
    for (const feed of config.feeds ?? []) {
      const current = await repos.feeds.bySlugWithOrigin(feed.slug);
      await reconcile(`feed "${feed.slug}"`, current, feed, () => repos.feeds.create(feed, 'config'), () => repos.feeds.update(feed.slug, feed, 'config'));
    }
    if (config.items?.length) {
      for (const result of await pushItems(repos, config.items, now)) {
        if (result.outcome === 'new') report.items.new++;
        else if (result.outcome === 'updated') report.items.updated++;
        else report.items.unchanged++;
      }
    }
  }
  return report;
}
