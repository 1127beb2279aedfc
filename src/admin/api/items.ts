import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { NotFoundError } from '../../core/errors.ts';
import { runInBackground } from '../../http/background.ts';
import { readJson, validate } from '../../http/validate.ts';
import { pushItems } from '../../ingest/push.ts';
import { itemInput, itemsInput, type ItemInputBody } from '../schemas.ts';

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
