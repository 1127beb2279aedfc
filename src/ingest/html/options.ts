/**
 * An HTML source's `options`: preset, selectors and politeness, checked once with zod.
 * The sources API can validate with `htmlOptionsSchema`; the fetch reads with `readHtmlOptions`.
 */
import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../core/errors.ts';
import { PRESET_NAMES, type PresetName } from './presets.ts';
import { checkSelectors, FIELDS, resolveSelectors, type Field, type ResolvedSelectors, type Selectors } from './selectors.ts';

export const DEFAULT_MAX_NEW_ARTICLES = 10;
export const DEFAULT_DELAY_MS = 1000;

const selectorSpec = z.union([
  z.string().trim().min(1, 'must not be empty').max(1000),
  z.array(z.string().trim().min(1, 'must not be empty').max(1000)).min(1, 'must hold at least one selector').max(10),
]);

export const selectorsSchema = z.strictObject(Object.fromEntries(FIELDS.map((f) => [f, selectorSpec.optional()])) as Record<Field, z.ZodOptional<typeof selectorSpec>>);

export const presetSchema = z.enum(PRESET_NAMES as [PresetName, ...PresetName[]], { error: `must be one of ${PRESET_NAMES.join(', ')}` });

/** Adds a problem for every unusable selector and every required field nothing covers. */
export function refineSelectors(value: { preset?: PresetName | undefined; selectors?: Selectors | undefined }, ctx: z.RefinementCtx): void {
  for (const problem of checkSelectors(value.preset, value.selectors ?? {})) {
    ctx.addIssue({ code: 'custom', path: problem.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: problem.message });
  }
}

export const htmlOptionsSchema = z
  .strictObject({
    preset: presetSchema.optional(),
    selectors: selectorsSchema.optional(),
    /** New articles fetched per poll at most; the rest wait for the next poll. */
    maxNewArticles: z.number().int().min(1).max(50).optional(),
    /** Pause between two requests to the site; robots.txt Crawl-delay may lengthen it. */
    delayMs: z.number().int().min(0).max(60_000).optional(),
    /** Requests to the site at once. */
    concurrency: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }).optional(),
  })
  .superRefine(refineSelectors);

export type HtmlOptions = z.infer<typeof htmlOptionsSchema>;

export interface HtmlSettings {
  preset: PresetName | null;
  selectors: ResolvedSelectors;
  maxNewArticles: number;
  delayMs: number;
  concurrency: 1 | 2;
}

/** Problems with a source's options, each field named under `prefix` (`options.selectors.title`). */
export function htmlOptionProblems(options: unknown, prefix = 'options'): FieldProblem[] {
  const result = htmlOptionsSchema.safeParse(options ?? {});
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'), message: issue.message }));
}

/** The settings a fetch runs with; throws ValidationError naming each bad option. */
export function readHtmlOptions(options: unknown): HtmlSettings {
  const result = htmlOptionsSchema.safeParse(options ?? {});
  if (!result.success) throw new ValidationError('html: the source options are invalid', htmlOptionProblems(options));
  return settingsFrom(result.data);
}

export function settingsFrom(options: HtmlOptions): HtmlSettings {
  return {
    preset: options.preset ?? null,
    selectors: resolveSelectors(options.preset, options.selectors),
    maxNewArticles: options.maxNewArticles ?? DEFAULT_MAX_NEW_ARTICLES,
    delayMs: options.delayMs ?? DEFAULT_DELAY_MS,
    concurrency: options.concurrency ?? 1,
  };
}
