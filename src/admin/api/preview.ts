import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { isValidTimeZone } from '../../core/dates.ts';
import { ValidationError } from '../../core/errors.ts';
import { readJson } from '../../http/validate.ts';
import { encodingName } from '../../ingest/decode.ts';
import { presetSchema, refineSelectors, selectorsSchema } from '../../ingest/html/options.ts';
import { HostGate } from '../../ingest/html/polite.ts';
import { MAX_PREVIEW_ARTICLES, previewHtmlSource } from '../../ingest/html/preview.ts';
import { RobotsCache } from '../../ingest/html/robots.ts';
import { fetchOptions } from '../../ingest/pipeline.ts';
import { checkUrl, FetchRefusedError } from '../../ingest/ssrf.ts';
import { ingestDepsFor } from '../ingest-deps.ts';
import { registerOperations } from '../openapi.ts';
import { httpUrl } from '../schemas.ts';

export const previewInput = z
  .strictObject({
    url: httpUrl.describe('the listing page: a category, tag or home page that links to articles'),
    preset: presetSchema.optional().describe('a known layout: k2 (Joomla K2), joomla (Joomla articles), wordpress'),
    selectors: selectorsSchema.optional().describe('CSS selectors per field, overriding the preset field by field; "sel@attr" reads an attribute'),
    articles: z.number().int().min(1).max(MAX_PREVIEW_ARTICLES).optional().describe('articles to read (default 3)'),
    delayMs: z.number().int().min(0).max(60_000).optional().describe('pause between requests to the site (default 1000)'),
    charset: z
      .string()
      .max(40)
      .refine((name) => encodingName(name) !== null, 'must be a charset Chapar can decode, such as "windows-1256"')
      .nullable()
      .optional(),
    timeZone: z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone such as "Asia/Tehran"').nullable().optional(),
  })
  .superRefine(refineSelectors);

const fieldReport = z.object({
  field: z.string(),
  selectors: z.array(z.string()),
  from: z.enum(['preset', 'explicit']).nullable(),
  pages: z.number().int(),
  found: z.number().int(),
  status: z.enum(['ok', 'partial', 'missing', 'unused']),
  matchedWith: z.array(z.string()),
  sample: z.string().nullable(),
  message: z.string().nullable(),
});

export const previewOutput = z.object({
  url: z.string(),
  preset: z.string().nullable(),
  ok: z.boolean().describe('every selector found something and every page could be read'),
  outcome: z.object({ kind: z.enum(['ok', 'not-modified', 'gone', 'retry-later', 'error']), status: z.number().int().nullable(), url: z.string(), message: z.string().optional() }),
  listing: z.object({
    url: z.string(),
    status: z.number().int().nullable(),
    links: z.number().int(),
    known: z.number().int(),
    duplicates: z.number().int(),
    offsite: z.number().int(),
    disallowed: z.number().int(),
    deferred: z.number().int(),
    articleLinks: z.array(z.string()),
  }),
  fields: z.array(fieldReport),
  articles: z.array(
    z.object({
      url: z.string(),
      status: z.enum(['ok', 'skipped', 'failed', 'disallowed']),
      problems: z.array(z.string()),
      item: z
        .object({
          title: z.string(),
          url: z.string(),
          publishedAt: z.string().nullable(),
          author: z.string().nullable(),
          categories: z.array(z.string()),
          shortCode: z.string().nullable(),
          image: z.string().nullable(),
          excerpt: z.string(),
          content: z.string(),
        })
        .nullable(),
    }),
  ),
  problems: z.array(z.object({ field: z.string(), message: z.string() })).describe('selectors that found nothing; a source configured so would store nothing'),
});

registerOperations([
  {
    method: 'post',
    path: '/sources/preview',
    tag: 'sources',
    summary: 'Show what an HTML source (a site without a feed) would give: its article links and the first articles, field by field; nothing is saved',
    body: previewInput,
    status: 200,
    response: previewOutput,
  },
]);

/** `POST /api/v1/sources/preview`: try a listing page with a preset and/or selectors before adding it. */
export function previewApi(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { ingest } = ingestDepsFor(deps);
  // One gate and one robots cache for every preview, so repeated previews of a site take turns.
  const gate = new HostGate();
  const robots = new RobotsCache();

  app.post('/', async (c) => {
    const body = await readJson(c, previewInput);
    const fetch = fetchOptions(ingest, deps.now);
    try {
      await checkUrl(new URL(body.url), fetch);
    } catch (error) {
      if (error instanceof FetchRefusedError) throw new ValidationError('Chapar will not fetch this address', [{ field: 'url', message: error.reason }]);
      throw error;
    }
    const preview = await previewHtmlSource(
      body,
      { fetch, gate, robots, ...(deps.now ? { now: deps.now } : {}) },
    );
    return c.json(preview);
  });

  return app;
}
