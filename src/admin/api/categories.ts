import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { NotFoundError } from '../../core/errors.ts';
import { readJson } from '../../http/validate.ts';
import { categoryInput } from '../schemas.ts';
import { pageOf, readPage } from './paging.ts';

export function categoryApi({ repos }: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const page = readPage(c);
    return c.json(pageOf(await repos.categories.list({ limit: page.limit + 1, afterId: page.afterId }), page));
  });
  app.post('/', async (c) => c.json(await repos.categories.create(await readJson(c, categoryInput)), 201));
  app.get('/:slug', async (c) => {
    const category = await repos.categories.bySlug(c.req.param('slug'));
    if (!category) throw new NotFoundError(`no category "${c.req.param('slug')}"`);
    return c.json(category);
  });
  app.patch('/:slug', async (c) => c.json(await repos.categories.update(c.req.param('slug'), await readJson(c, categoryInput.partial()), 'api')));
  app.delete('/:slug', async (c) => {
    await repos.categories.remove(c.req.param('slug'));
    return c.body(null, 204);
  });
  return app;
}
