/**
 * The entry exactly as deployed (SELF: wrangler.toml vars, the bundled feeds/, the token secret
 * from vitest.config.ts). The tests share this file's D1, as requests share a real one.
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('the deployed entry (SELF: wrangler.toml, bundled feeds/, the token secret)', () => {
  it('serves the demo feeds from D1 on the first request', async () => {
    const health = await SELF.fetch('https://chapar.example/healthz');
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'd1' });
    const feed = await SELF.fetch('https://chapar.example/feeds/senfi.rss');
    expect(feed.status).toBe(200);
    const xml = await feed.text();
    expect(xml).toContain('نشست معاونان وزیر');
    // CHAPAR_BASE_URL is empty in wrangler.toml: links follow the origin the request came to.
    expect(xml).toContain('https://chapar.example/feeds/senfi.rss');
    const link = await SELF.fetch('https://chapar.example/s/3643', { redirect: 'manual' });
    expect(link.status).toBe(302);
  });

  it('accepts the admin token from the CHAPAR_ADMIN_TOKEN secret', async () => {
    const res = await SELF.fetch('https://chapar.example/api/v1/categories', { headers: { authorization: `Bearer ${env.CHAPAR_ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: { slug: string }[] }).items.map((c) => c.slug)).toContain('senfi');
  });

  it.each(['/', '/opml', '/items/1', '/api/v1/openapi.json', '/admin', '/metrics'])('serves %s without a 5xx', async (path) => {
    const res = await SELF.fetch(`https://chapar.example${path}`, { redirect: 'manual' });
    expect(res.status, path).toBeLessThan(500);
    await res.arrayBuffer();
  });
});
