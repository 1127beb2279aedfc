import { describe, expect, it } from 'vitest';
import { BASE_URL, testApp } from '../helpers/app.ts';

describe('OpenAPI document', () => {
  it('is public JSON describing OpenAPI 3.1 with bearer security', async () => {
    const t = await testApp();
    const res = await t.app.request(`${BASE_URL}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; components: { securitySchemes: Record<string, { scheme: string }> }; servers: { url: string }[] };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer!.scheme).toBe('bearer');
    expect(doc.servers[0]!.url).toBe(`${BASE_URL}/api/v1`);
    await t.close();
  });

  it('covers every admin API route the app serves', async () => {
    const t = await testApp();
    const doc = (await (await t.app.request(`${BASE_URL}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const served = t.app.routes
      .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL' && !['/api/v1/openapi.json', '/api/v1/docs'].includes(r.path))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/^\/api\/v1/, '').replace(/:(\w+)(\{[^}]*\})?/g, '{$1}').replace(/\/$/, '')}`);
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((s) => !documented.has(s))).toEqual([]);
    await t.close();
  });

  it('documents request bodies from the zod schemas the routes validate with', async () => {
    const t = await testApp();
    const doc = (await (await t.app.request(`${BASE_URL}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: { required?: string[]; properties?: Record<string, { pattern?: string }> } } } } }>> };
    const schema = doc.paths['/categories']!.post!.requestBody!.content['application/json'].schema;
    expect(schema.required).toEqual(['slug', 'name']);
    expect(schema.properties!.slug!.pattern).toBe('^[a-z0-9][a-z0-9_-]{0,63}$');
    await t.close();
  });

  it('has a docs page rendered on the server without any external asset', async () => {
    const t = await testApp();
    const res = await t.app.request(`${BASE_URL}/api/v1/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<code>/api/v1/categories</code>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!chapar\.test)[a-z0-9.-]+\/[^"]*\.(js|css)/i);
    await t.close();
  });
});
