import { z } from 'zod';

export const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 of a-z, 0-9, "-" and "_", starting with a letter or digit');
export const httpUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');
const label = z.string().trim().min(1).max(200);

export const categoryInput = z.strictObject({
  slug,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  aliases: z.array(label).max(100).optional(),
  description: z.string().max(2000).nullable().optional(),
});

export const feedFilter = z.strictObject({
  categories: z.array(slug).max(50).optional(),
  match: z.enum(['any', 'all']).optional(),
  sources: z.array(z.number().int().positive()).max(200).optional(),
  include: z.array(label).max(50).optional(),
  exclude: z.array(label).max(50).optional(),
});

export const feedInput = z.strictObject({
  slug,
  title: z.string().trim().min(1, 'must not be empty').max(300),
  description: z.string().max(2000).nullable().optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "fa" or "en-US"')
    .nullable()
    .optional(),
  filter: feedFilter.optional(),
  limit: z.number().int().min(1).max(100).optional(),
  links: z.enum(['original', 'short']).optional(),
  maxAgeSeconds: z.number().int().min(0).max(86_400).optional(),
});

export const itemInput = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(1000),
  url: httpUrl.optional(),
  guid: z.string().trim().min(1).max(2048).optional(),
  content: z.string().max(1_000_000).optional(),
  summary: z.string().max(100_000).optional(),
  author: z.string().max(300).optional(),
  /** Any date Chapar can read: ISO 8601, RFC 822, or Jalali («۲۸ مرداد ۱۳۹۳ ۰۲:۴۴», 1403/07/03). */
  publishedAt: z.string().max(100).optional(),
  categories: z.array(slug).max(50).optional(),
  shortCode: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z, a-z, 0-9, "-" and "_"').optional(),
});

/** What an admin may change on a stored item: its categories (the rest comes from upstream). */
export const itemPatch = z.strictObject({ categories: z.array(slug).max(50) });

export const MAX_PUSH = 1000;
export const itemsInput = z.array(itemInput).min(1, 'must hold at least one item').max(MAX_PUSH, `must hold at most ${MAX_PUSH} items`);

export type CategoryInputBody = z.infer<typeof categoryInput>;
export type FeedInputBody = z.infer<typeof feedInput>;
export type ItemInputBody = z.infer<typeof itemInput>;
