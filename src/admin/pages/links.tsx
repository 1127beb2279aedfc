/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { sendPage, type PagesEnv } from './env.ts';
import { Layout } from './layout.tsx';

export function linkPages(_deps: AppDeps) {
  const app = new Hono<PagesEnv>();
  app.get('/', (c) =>
    sendPage(
      c,
      <Layout title="پیوندهای کوتاه · Links" csrf={c.get('csrf')} section="/admin/links">
        <h1>پیوندهای کوتاه · Links</h1>
      </Layout>,
    ),
  );
  return app;
}
