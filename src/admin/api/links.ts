import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import type { LinkCursor, StoredLink } from '../../db/repos/links.ts';
import { readJson } from '../../http/validate.ts';
import { pageOf, registerOperations } from '../openapi.ts';
import { codeProblem, isCode, targetProblem } from '../../shortlinks/codes.ts';

/** A target exactly as given: http(s), at most 2048 characters, no spaces or controls. */
const targetUrl = z.string().superRefine((url, ctx) => {
  const problem = targetProblem(url);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const customCode = z.string().superRefine((code, ctx) => {
  const problem = codeProblem(code);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const status = z.union([z.literal(301), z.literal(302)], { error: 'must be 301 or 302' });

export const linkInput = z.strictObject({ url: targetUrl, code: customCode.optional(), status: status.optional() });
export const linkPatch = z.strictObject({ url: targetUrl.optional(), status: status.optional() });

const link = z.object({
  code: z.string(),
  shortUrl: z.string(),
  url: z.string().nullable().describe('the target; an item without an upstream URL goes to its own page'),
  status: z.union([z.literal(301), z.literal(302)]),
  clicks: z.number().int().describe('human clicks: bots, link expanders, prefetches and HEAD are not counted'),
  itemId: z.number().int().nullable(),
  createdAt: z.string(),
});
const linkDetail = link.extend({
  clicksByDay: z.array(z.object({ day: z.string(), clicks: z.number().int() })),
  referrers: z.array(z.object({ host: z.string().nullable().describe('null: no referrer'), clicks: z.number().int() })),
});

registerOperations([
  { method: 'post', path: '/links', tag: 'links', summary: 'Create a short link for any http(s) URL (optional custom code; 409 when taken)', body: linkInput, status: 201, response: link },
  {
    method: 'get',
    path: '/links',
    tag: 'links',
    summary: 'List short links, newest first (paged)',
    status: 200,
    response: pageOf(link),
    query: {
      limit: { description: 'page size, 1-200 (default 50)', schema: z.number().int().min(1).max(200) },
      cursor: { description: 'the `next` value of the previous page', schema: z.string() },
    },
  },
  {
    method: 'get',
    path: '/links/{code}',
    tag: 'links',
    summary: 'Read one short link with its human clicks per day (UTC) and top referring hosts',
    status: 200,
    response: linkDetail,
    query: { days: { description: 'days of clicksByDay, 1-366 (default 90)', schema: z.number().int().min(1).max(366) } },
  },
  { method: 'patch', path: '/links/{code}', tag: 'links', summary: 'Change the target or the redirect status', body: linkPatch, status: 200, response: link },
  { method: 'delete', path: '/links/{code}', tag: 'links', summary: "Remove a short link and its clicks (an item's own link goes with the item: 409)", status: 204 },
]);

const DAY_MS = 24 * 60 * 60 * 1000;
const TOP_REFERRERS = 20;

const CURSOR = /^([0-9]{1,15})\.([A-Za-z0-9_-]{1,64})$/;
const encodeCursor = (link: StoredLink) => `${link.createdAt.getTime()}.${link.code}`;

function readListQuery(query: (name: string) => string | undefined): { limit: number; before?: LinkCursor } {
  const limitRaw = query('limit');
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError('invalid paging', [{ field: 'limit', message: 'must be a whole number from 1 to 200' }]);
  const cursorRaw = query('cursor');
  if (cursorRaw === undefined) return { limit };
  const match = CURSOR.exec(cursorRaw);
  if (!match) throw new ValidationError('invalid paging', [{ field: 'cursor', message: 'must be a cursor from a previous page' }]);
  return { limit, before: { createdAt: Number(match[1]), code: match[2]! } };
}

function readDays(raw: string | undefined, fallback: number, max: number): number {
  const days = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > max) throw new ValidationError('invalid query', [{ field: 'days', message: `must be a whole number from 1 to ${max}` }]);
  return days;
}

/** `/api/v1/links`: short links for any URL, and the human clicks on each. */
export function linkApi(deps: AppDeps) {
  const { repos, config } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono<AppEnv>();

  const toJson = (link: StoredLink) => ({
    code: link.code,
    shortUrl: `${config.baseUrl}/s/${link.code}`,
    url: link.url ?? (link.itemId !== null ? `${config.baseUrl}/items/${link.itemId}` : null),
    status: link.status,
    clicks: link.clicks,
    itemId: link.itemId,
    createdAt: link.createdAt.toISOString(),
  });

  const found = async (code: string) => {
    const link = isCode(code) ? await repos.links.byCode(code) : null;
    if (!link) throw new NotFoundError(`no short link "${code}"`);
    return link;
  };

  app.post('/', async (c) => {
    const body = await readJson(c, linkInput);
    const link = await repos.links.create({ url: body.url, ...(body.code ? { code: body.code } : {}), ...(body.status ? { status: body.status } : {}) });
    c.header('Location', `${config.baseUrl}/api/v1/links/${link.code}`);
    return c.json(toJson(link), 201);
  });

  app.get('/', async (c) => {
    const query = readListQuery((name) => c.req.query(name));
    const rows = await repos.links.list({ limit: query.limit + 1, ...(query.before ? { before: query.before } : {}) });
    const items = rows.slice(0, query.limit);
    return c.json({ items: items.map(toJson), next: rows.length > query.limit ? encodeCursor(items.at(-1)!) : null });
  });

  app.get('/:code', async (c) => {
    const link = await found(c.req.param('code'));
    const days = readDays(c.req.query('days'), 90, 366);
    const sinceDay = new Date(now().getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const stats = await repos.links.clickStats(link.code, { sinceDay, referrers: TOP_REFERRERS });
    return c.json({
      ...toJson(link),
      clicksByDay: stats.byDay,
      referrers: stats.referrers.map((r) => ({ host: r.host === '' ? null : r.host, clicks: r.clicks })),
    });
  });

  app.patch('/:code', async (c) => {
    const link = await found(c.req.param('code'));
    const patch = await readJson(c, linkPatch);
    const updated = await repos.links.update(link.code, { ...(patch.url ? { url: patch.url } : {}), ...(patch.status ? { status: patch.status } : {}) });
    if (!updated) throw new NotFoundError(`no short link "${link.code}"`);
    return c.json(toJson(updated));
  });

  app.delete('/:code', async (c) => {
    const link = await found(c.req.param('code'));
    if (link.itemId !== null) throw new ConflictError(`short link "${link.code}" belongs to item ${link.itemId}; delete the item instead`);
    await repos.links.remove(link.code);
    return c.body(null, 204);
  });

  return app;
}
