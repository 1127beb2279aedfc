import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodySizeLimit } from '../../src/http/limits.ts';

// Through a real @hono/node-server, as `npm start` serves: the limit has two paths, one
// for a declared Content-Length and one for a chunked body, and only the server shows both.
let server: ServerType;
let port = 0;
const seen: { materialised: boolean }[] = [];

beforeAll(async () => {
  const app = new Hono();
  app.use('*', bodySizeLimit(100));
  app.post('/echo', async (c) => {
    const body = (await c.req.json()) as { text: string };
    // @hono/node-server's lightweight request shows the full web Request it made, if it made one.
    seen.push({ materialised: !inspect(c.req.raw).includes('nativeRequest: undefined') });
    return c.json({ length: body.text.length });
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      port = info.port;
      resolve();
    });
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function post(body: string, chunked: boolean): Promise<{ status: number; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body);
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = bytes.length;
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/echo', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    if (chunked) {
      // Two writes without a length: Node sends Transfer-Encoding: chunked.
      req.write(bytes.subarray(0, 10));
      req.end(bytes.subarray(10));
    } else req.end(bytes);
  });
}

const json = (chars: number) => JSON.stringify({ text: 'ب'.repeat(chars) });

describe('bodySizeLimit through @hono/node-server', () => {
  it('passes a body within the limit, with or without a length', async () => {
    expect(Buffer.byteLength(json(40))).toBeLessThanOrEqual(100);
    for (const chunked of [false, true]) {
      const res = await post(json(40), chunked);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ length: 40 });
    }
  });

  it('answers 413 with a problem document for a body over the limit, with or without a length', async () => {
    expect(Buffer.byteLength(json(60))).toBeGreaterThan(100);
    for (const chunked of [false, true]) {
      const res = await post(json(60), chunked);
      expect(res.status).toBe(413);
      expect(res.type).toBe('application/problem+json');
      expect(JSON.parse(res.text)).toMatchObject({ status: 413, title: 'Content Too Large', detail: expect.stringContaining('100 bytes') });
    }
  });

  it('leaves a body with a declared length to be read straight from the socket', async () => {
    seen.length = 0;
    await post(json(10), false);
    expect(seen).toEqual([{ materialised: false }]);
  });
});
