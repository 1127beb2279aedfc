import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { NotFoundError } from '../../core/errors.ts';
import { readJson } from '../../http/validate.ts';
import { hashToken, newToken } from '../auth.ts';
import { pageOf, readPage } from './paging.ts';

export const tokenInput = z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(100) });

export function tokenApi({ repos }: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const page = readPage(c);
    return c.json(pageOf(await repos.tokens.list({ limit: page.limit + 1, afterId: page.afterId }), page));
  });
  app.post('/', async (c) => {
    const { name } = await readJson(c, tokenInput);
    const token = newToken();
    const info = await repos.tokens.create(name, await hashToken(token));
    // The only time the token is ever shown.
    return c.json({ ...info, token }, 201);
  });
  app.delete('/:id', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || !(await repos.tokens.revoke(id))) throw new NotFoundError(`no live token ${c.req.param('id')}`);
    return c.body(null, 204);
  });
  return app;
}
