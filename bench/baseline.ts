/**
 * The bare baseline: Hono on @hono/node-server answering with the same bytes Chapar produced and
 * doing no work for it. A feed body from a Buffer with Chapar's headers, a 304 when If-None-Match
 * equals the ETag, and a plain `c.redirect()`. What Chapar is measured against.
 *
 *   node --import tsx bench/baseline.ts SPEC.json   (the harness starts it; prints the port)
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

export interface BaselineSpec {
  port: number;
  feedPath: string;
  /** File holding the feed body exactly as Chapar sent it. */
  feedBodyFile: string;
  /** Chapar's 200 response headers (minus Date, Connection, Keep-Alive). */
  feedHeaders: Record<string, string>;
  /** Chapar's 304 response headers. */
  notModifiedHeaders: Record<string, string>;
  etag: string;
  redirectPath: string;
  location: string;
}

function baselineApp(spec: BaselineSpec) {
  const body = readFileSync(spec.feedBodyFile);
  const app = new Hono();
  app.get(spec.feedPath, (c) => {
    if (c.req.header('if-none-match') === spec.etag) return c.body(null, 304, spec.notModifiedHeaders);
    return c.body(body, 200, spec.feedHeaders);
  });
  app.get(spec.redirectPath, (c) => c.redirect(spec.location, 302));
  return app;
}

const specFile = process.argv[2];
if (!specFile) {
  console.error('baseline: usage: node --import tsx bench/baseline.ts SPEC.json');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as BaselineSpec;
const server = serve({ fetch: baselineApp(spec).fetch, port: spec.port }, (info) => {
  console.log(JSON.stringify({ msg: 'listening', port: info.port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
