/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { sendPage, type PagesEnv } from './env.ts';
import { Layout } from './layout.tsx';

export function rulePages(_deps: AppDeps) {
  const app = new Hono<PagesEnv>();
  app.get('/', (c) =>
    sendPage(
      c,
      <Layout title="قاعده‌ها · Rules" csrf={c.get('csrf')} section="/admin/rules">
        <h1>قاعده‌ها · Rules</h1>
      </Layout>,
    ),
  );
  return app;
}
