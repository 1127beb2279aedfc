import { normaliseKey } from './persian.ts';
import type { Category } from './types.ts';

/**
 * Maps upstream labels to categories: a label matches when its Persian-normalised form equals
 * the category's name or one of its aliases (so «اخبار سازمان», «اخبار‌سازمان» and «اخبار سازمان»
 * with Arabic Yeh all land in one place).
 */
export function matchLabels(labels: readonly string[], categories: readonly Pick<Category, 'id' | 'name' | 'aliases' | 'slug'>[]): number[] {
  const byKey = new Map<string, number>();
  for (const category of categories) {
    for (const name of [category.name, category.slug, ...category.aliases]) {
      const key = normaliseKey(name);
      if (key && !byKey.has(key)) byKey.set(key, category.id);
    }
  }
  const ids = new Set<number>();
  for (const label of labels) {
    const id = byKey.get(normaliseKey(label));
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}
