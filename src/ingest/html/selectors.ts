/**
 * What an HTML source extracts and where: the selector of each field, from a preset,
 * from the admin, or both (the admin's wins, field by field). Pure.
 */
import { PRESETS, type PresetName } from './presets.ts';
import { selectorProblem } from './dom.ts';

/** `item` finds article links on the listing page; the rest read the article page. */
export const FIELDS = ['item', 'title', 'date', 'content', 'categories', 'author', 'image', 'shortCode'] as const;
export type Field = (typeof FIELDS)[number];
export type ArticleField = Exclude<Field, 'item'>;

/** A field every HTML source needs a selector for, from its preset or its own. */
export const REQUIRED_FIELDS: readonly Field[] = ['item', 'title', 'date', 'content', 'categories'];

/**
 * One CSS selector, or alternatives tried in order until one matches. A selector may end in
 * `@attribute` to read that attribute instead of the text (`time@datetime`,
 * `link[rel=shortlink]@href`).
 */
export type SelectorSpec = string | readonly string[];
export type Selectors = Partial<Record<Field, SelectorSpec>>;

export interface FieldSelector {
  alternatives: string[];
  from: 'preset' | 'explicit';
}

export type ResolvedSelectors = Partial<Record<Field, FieldSelector>>;

const asList = (spec: SelectorSpec): string[] => (typeof spec === 'string' ? [spec] : [...spec]).map((s) => s.trim()).filter((s) => s !== '');

/** The preset's selectors overlaid with the explicit ones; fields neither gives are absent. */
export function resolveSelectors(preset: PresetName | undefined, explicit: Selectors = {}): ResolvedSelectors {
  const base: Selectors = preset ? PRESETS[preset].selectors : {};
  const resolved: ResolvedSelectors = {};
  for (const field of FIELDS) {
    const own = explicit[field] === undefined ? [] : asList(explicit[field]);
    if (own.length > 0) resolved[field] = { alternatives: own, from: 'explicit' };
    else if (base[field]) resolved[field] = { alternatives: asList(base[field]), from: 'preset' };
  }
  return resolved;
}

export interface SelectorProblem {
  field: string;
  message: string;
}

/**
 * Problems with a preset/selectors pair, each naming its field under `prefix`
 * (`selectors.title`): unreadable CSS, or a required field that nothing covers.
 */
export function checkSelectors(preset: PresetName | undefined, explicit: Selectors = {}, prefix = 'selectors'): SelectorProblem[] {
  const problems: SelectorProblem[] = [];
  for (const field of FIELDS) {
    const spec = explicit[field];
    if (spec === undefined) continue;
    (typeof spec === 'string' ? [spec] : [...spec]).forEach((selector, i) => {
      const problem = selectorProblem(selector);
      const where = typeof spec === 'string' ? `${prefix}.${field}` : `${prefix}.${field}.${i}`;
      if (problem) problems.push({ field: where, message: problem });
    });
  }
  const resolved = resolveSelectors(preset, explicit);
  for (const field of REQUIRED_FIELDS) {
    if (!resolved[field]) {
      problems.push({ field: `${prefix}.${field}`, message: `is required without a preset (or choose a preset: ${Object.keys(PRESETS).join(', ')})` });
    }
  }
  return problems;
}
