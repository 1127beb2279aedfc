import { z } from 'zod';
import { sourceInput } from '../api/sources.ts';
import { categoryInput, feedInput, itemInput } from '../schemas.ts';

/** A source as declared in a config file: the same shape the sources API takes (categories by slug). */
export const sourceConfig = sourceInput;

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
