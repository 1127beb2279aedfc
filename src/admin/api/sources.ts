import { ingestDepsFor } from '../ingest-deps.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { isValidTimeZone } from '../../core/dates.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import type { Source, SourceInput } from '../../db/repos/sources.ts';
import { readJson } from '../../http/validate.ts';
import { encodingName } from '../../ingest/decode.ts';
import { addSource, categoryIdsFor, checkSourceUrl } from '../../ingest/discover.ts';
import { htmlOptionProblems } from '../../ingest/html/options.ts';
import { exportOpml, importOpml } from '../../ingest/opml.ts';
import { fetchOptions, ingestSource } from '../../ingest/pipeline.ts';
import { pageOf, registerOperations } from '../openapi.ts';
import { httpUrl, slug } from '../schemas.ts';
import { pageOf as pageRows, readPage } from './paging.ts';

const charset = z
  .string()
  .max(40)
  .refine((name) => encodingName(name) !== null, 'must be a charset Chapar can decode, such as "windows-1256"');
const timeZone = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone such as "Asia/Tehran"');

const sourceFields = z.strictObject({
  url: httpUrl.describe('the feed, or a web page whose <link rel="alternate"> names it; for kind html, the listing page'),
  kind: z.enum(['feed', 'html'], 'must be "feed" or "html"').optional().describe('html: a site without a feed, read with CSS selectors (default feed)'),
  options: z.record(z.string(), z.unknown()).optional().describe('kind html only: {preset?, selectors?, maxNewArticles?, delayMs?, concurrency?}'),
  title: z.string().trim().min(1, 'must not be empty').max(300).nullable().optional(),
  categories: z.array(slug).max(50).optional().describe('category slugs applied to every item of the source'),
  intervalMinutes: z.number().int().min(1).max(10_080).optional().describe('minutes between checks (default 60), stretched by upstream <ttl>/Cache-Control'),
  charset: charset.nullable().optional().describe('charset when neither the bytes, HTTP nor the document say (e.g. windows-1256)'),
  timeZone: timeZone.nullable().optional().describe('IANA zone for upstream dates written without one'),
});

/** An HTML source's options must hold; a feed takes none. */
function checkOptions(kind: string | undefined, options: unknown, ctx: z.RefinementCtx): void {
  if (kind === 'html') {
    for (const problem of htmlOptionProblems(options ?? {}, '')) {
      ctx.addIssue({ code: 'custom', path: ['options', ...problem.field.split('.').filter(Boolean)], message: problem.message });
    }
  } else if (kind !== undefined && options !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: 'only HTML sources (kind "html") take options' });
  }
}

export const sourceInput = sourceFields.superRefine((s, ctx) => checkOptions(s.kind ?? 'feed', s.options, ctx));

export const sourcePatch = sourceFields
  .partial()
  .extend({
    state: z.enum(['active', 'disabled'], 'must be "active" or "disabled"').optional().describe('"active" also clears the failure count and checks at once'),
  })
  .superRefine((s, ctx) => checkOptions(s.kind, s.options, ctx));

const source = z.object({
  id: z.number().int(),
  url: z.string(),
  kind: z.enum(['feed', 'html']),
  options: z.record(z.string(), z.unknown()),
  title: z.string().nullable(),
  siteUrl: z.string().nullable(),
  categories: z.array(z.string()),
  intervalMinutes: z.number().int(),
  charset: z.string().nullable(),
  timeZone: z.string().nullable(),
  state: z.enum(['active', 'gone', 'disabled']),
  lastStatus: z.string().nullable().describe('outcome of the last fetch: ok, not-modified, gone, retry-later or error'),
  lastFetchedAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  errorCount: z.number().int().describe('failures in a row; 0 after a success'),
  nextCheckAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const fetchResult = z.object({
  status: z.enum(['ok', 'not-modified', 'gone', 'retry-later', 'error']),
  new: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  error: z.string().optional(),
  nextCheckAt: z.string().nullable(),
});

const importReport = z.object({
  created: z.number().int(),
  existing: z.number().int(),
  failed: z.number().int(),
  categoriesCreated: z.array(z.string()),
  sources: z.array(z.object({ url: z.string(), status: z.enum(['created', 'existing', 'failed']), id: z.number().int().nullable(), error: z.string().optional() })),
});

registerOperations([
  { method: 'get', path: '/sources', tag: 'sources', summary: 'List sources with their fetch state (paged)', status: 200, response: pageOf(source), query: {
    limit: { description: 'page size, 1-200 (default 50)', schema: z.number().int().min(1).max(200) },
    cursor: { description: 'the `next` value of the previous page', schema: z.string() },
  } },
  { method: 'post', path: '/sources', tag: 'sources', summary: 'Add a source; a web page URL is resolved to its feed through <link rel="alternate">', body: sourceInput, status: 201, response: source },
  { method: 'post', path: '/sources/import', tag: 'sources', summary: 'Import sources from an OPML document (the request body, as text/x-opml); folders and category attributes become categories', status: 200, response: importReport },
  { method: 'get', path: '/sources/export', tag: 'sources', summary: 'All sources as OPML 2.0, grouped by category', status: 200 },
  { method: 'get', path: '/sources/{id}', tag: 'sources', summary: 'Read one source: settings, last status, last error and its time, next check', status: 200, response: source },
  { method: 'patch', path: '/sources/{id}', tag: 'sources', summary: 'Change settings; {"state":"active"} re-enables a disabled or gone source', body: sourcePatch, status: 200, response: source },
  { method: 'delete', path: '/sources/{id}', tag: 'sources', summary: 'Remove a source (its items stay published)', status: 204 },
  { method: 'post', path: '/sources/{id}/fetch', tag: 'sources', summary: 'Fetch now; 409 while another fetch of the source runs', status: 200, response: fetchResult },
]);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** `/api/v1/sources`: the feeds Chapar polls, and their fetch state. */
export function sourceApi(deps: AppDeps) {
  const { repos, config } = deps;
  const app = new Hono<AppEnv>();
  const ingestDeps = ingestDepsFor(deps);
  const { ingest } = ingestDeps;

  async function toJson(sources: Source[]) {
    const slugs = new Map((await repos.categories.list({ limit: 100_000 })).map((c) => [c.id, c.slug]));
    return sources.map((s) => ({
      id: s.id,
      url: s.url,
      kind: s.kind,
      options: s.options,
      title: s.title,
      siteUrl: s.siteUrl,
      categories: s.categoryIds.map((id) => slugs.get(id)).filter((slug) => slug !== undefined),
      intervalMinutes: s.intervalMinutes,
      charset: s.charset,
      timeZone: s.timeZone,
      state: s.state,
      lastStatus: s.lastStatus,
      lastFetchedAt: iso(s.lastFetchedAt),
      lastSuccessAt: iso(s.lastSuccessAt),
      lastError: s.lastError,
      lastErrorAt: iso(s.lastErrorAt),
      errorCount: s.errorCount,
      nextCheckAt: iso(s.nextCheckAt),
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    }));
  }
  const one = async (s: Source) => (await toJson([s]))[0]!;

  const idOf = (raw: string): number => {
    const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id)) throw new NotFoundError(`no source ${raw}`);
    return id;
  };
  const found = async (raw: string): Promise<Source> => {
    const s = await repos.sources.byId(idOf(raw));
    if (!s) throw new NotFoundError(`no source ${raw}`);
    return s;
  };

  app.get('/', async (c) => {
    const page = readPage(c);
    const rows = await repos.sources.list({ limit: page.limit + 1, ...(page.afterId ? { afterId: page.afterId } : {}) });
    const { items, next } = pageRows(rows, page);
    return c.json({ items: await toJson(items), next });
  });

  app.post('/', async (c) => {
    const body = await readJson(c, sourceInput);
    const created = await addSource(repos, body, fetchOptions(ingest, deps.now));
    c.header('Location', `${config.baseUrl}/api/v1/sources/${created.id}`);
    return c.json(await one(created), 201);
  });

  app.post('/import', async (c) => {
    const report = await importOpml(repos, await c.req.text(), { allowPrivate: ingest.allowPrivate });
    return c.json(report);
  });

  app.get('/export', async (c) => {
    const opml = await exportOpml(repos, { title: 'Chapar sources', now: (deps.now ?? (() => new Date()))() });
    return c.body(opml, 200, { 'Content-Type': 'text/x-opml; charset=utf-8', 'Content-Disposition': 'attachment; filename="chapar-sources.opml"' });
  });

  app.get('/:id', async (c) => c.json(await one(await found(c.req.param('id')))));

  app.patch('/:id', async (c) => {
    const current = await found(c.req.param('id'));
    const { categories, ...rest } = await readJson(c, sourcePatch);
    const patch: Partial<SourceInput> = {};
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) Object.assign(patch, { [key]: value });
    if (categories) patch.categoryIds = await categoryIdsFor(repos, categories);
    if (patch.kind === 'html' || (patch.kind === undefined && patch.options !== undefined)) {
      const kind = patch.kind ?? current.kind;
      const problems = kind === 'html' ? htmlOptionProblems(patch.options ?? current.options) : [{ field: 'options', message: 'only HTML sources (kind "html") take options' }];
      if (problems.length > 0) throw new ValidationError('the source options are invalid', problems);
    }
    if (patch.url !== undefined && patch.url !== current.url) await checkSourceUrl(patch.url, fetchOptions(ingest));
    return c.json(await one(await repos.sources.update(current.id, patch, 'api')));
  });

  app.delete('/:id', async (c) => {
    await repos.sources.remove(idOf(c.req.param('id')));
    return c.body(null, 204);
  });

  app.post('/:id/fetch', async (c) => {
    const result = await ingestSource(ingestDeps, idOf(c.req.param('id')));
    if (result.status === 'busy') throw new ConflictError(`source ${result.sourceId} is being fetched right now; try again in a minute`);
    return c.json({
      status: result.status,
      new: result.new,
      updated: result.updated,
      unchanged: result.unchanged,
      ...(result.error ? { error: result.error } : {}),
      nextCheckAt: iso(result.nextCheckAt),
    });
  });

  return app;
}
