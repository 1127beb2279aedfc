import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { runInBackground } from '../../http/background.ts';
import { readJson, validate } from '../../http/validate.ts';
import { pushItems } from '../../ingest/push.ts';
import { encodeCursor, parseFeedQuery } from '../../publish/query.ts';
import { itemInput, itemPatch, itemsInput, type ItemInputBody } from '../schemas.ts';

export function itemApi(deps: AppDeps) {
  const { repos, config } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const body = await readJson(c, z.unknown());
    const many = Array.isArray(body);
    const list = validate(many ? itemsInput : itemInput, body);
    const results = await pushItems(repos, many ? (list as ItemInputBody[]) : [list as ItemInputBody], now(), many ? undefined : (_, field) => field);
    const changed = results.filter((r) => r.outcome === 'new' || r.outcome === 'updated').map((r) => r.id);
    if (changed.length > 0) runInBackground(c, deps.onItemsChanged?.(changed));
    const items = results.map((r) => ({
      id: r.id,
      guid: r.guid,
      status: r.outcome,
      shortCode: r.shortCode,
      shortUrl: r.shortCode ? `${config.baseUrl}/s/${r.shortCode}` : null,
    }));
    return c.json({ items }, 201);
  });

  app.get('/', async (c) => {
    const queries = c.req.queries();
    // Admin lists page with `cursor`; feeds call the same position `before`.
    if (queries.cursor) queries.before = queries.cursor;
    delete queries.cursor;
    const parsed = parseFeedQuery(queries);
    if (!parsed.ok) throw new ValidationError('invalid query', parsed.problems);
    const limit = parsed.query.limit ?? 50;
    const { before } = parsed.query;
    const rows = await repos.items.list([parsed.query.filter], { limit: limit + 1, ...(before ? { before } : {}) });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({ items: page, next: rows.length > limit && last ? encodeCursor({ publishedAt: last.publishedAt.getTime(), id: last.id }) : null });
  });

  app.patch('/:id', async (c) => {
    const id = z.coerce.number().int().positive().safeParse(c.req.param('id'));
    const { categories } = await readJson(c, itemPatch);
    const ids = await repos.categories.idsBySlugs(categories);
    const missing = categories.filter((s) => !ids.has(s));
    if (missing.length > 0) throw new ValidationError('unknown categories', missing.map((s) => ({ field: 'categories', message: `no category "${s}"` })));
    if (!id.success || !(await repos.items.setCategories(id.data, [...ids.values()]))) throw new NotFoundError(`no item ${c.req.param('id')}`);
    runInBackground(c, deps.onItemsChanged?.([id.data]));
    return c.json(await repos.items.byId(id.data));
  });

  app.get('/:id', async (c) => {
    const id = z.coerce.number().int().positive().safeParse(c.req.param('id'));
    const item = id.success ? await repos.items.byId(id.data) : null;
    if (!item) throw new NotFoundError(`no item ${c.req.param('id')}`);
    return c.json(item);
  });

  app.delete('/:id', async (c) => {
    const id = z.coerce.number().int().positive().safeParse(c.req.param('id'));
    if (!id.success || !(await repos.items.tombstone(id.data))) throw new NotFoundError(`no item ${c.req.param('id')}`);
    // Feeds lose the item: hubs should hear of it like of any other change.
    runInBackground(c, deps.onItemsChanged?.([id.data]));
    return c.body(null, 204);
  });

  return app;
}
