/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { sendPage, type PagesEnv } from './env.ts';
import { Layout } from './layout.tsx';

export function sourcePages(_deps: AppDeps) {
  const app = new Hono<PagesEnv>();
  app.get('/', (c) =>
    sendPage(
      c,
      <Layout title="منبع‌ها · Sources" csrf={c.get('csrf')} section="/admin/sources">
        <h1>منبع‌ها · Sources</h1>
      </Layout>,
    ),
  );
  return app;
}
