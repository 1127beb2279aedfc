import { z } from 'zod';
import { categoryInput, feedInput, httpUrl, itemInput, slug } from '../schemas.ts';

/** A source as declared in a config file: categories by slug, like everywhere else in config. */
export const sourceConfig = z.strictObject({
  url: httpUrl,
  title: z.string().trim().min(1).max(300).optional(),
  categories: z.array(slug).max(50).optional(),
  intervalMinutes: z.number().int().min(1).max(10_080).optional(),
  charset: z.string().regex(/^[A-Za-z0-9_.:-]{1,40}$/, 'must be a charset name such as "windows-1256"').optional(),
  timeZone: z.string().max(64).optional(),
});

/** One file in CHAPAR_CONFIG_DIR. Every part is optional; files are applied in name order. */
export const configFile = z.strictObject({
  $schema: z.string().optional(),
  categories: z.array(categoryInput).optional(),
  sources: z.array(sourceConfig).optional(),
  feeds: z.array(feedInput).optional(),
  items: z.array(itemInput).optional(),
});

export type ConfigFile = z.infer<typeof configFile>;

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configFile, { target: 'draft-2020-12', io: 'input' }),
    title: 'Chapar feed configuration',
    description: 'Categories, sources, published feeds and items kept as code in CHAPAR_CONFIG_DIR (feeds/).',
  };
}
