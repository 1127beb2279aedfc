import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, TOKEN, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

describe('admin tokens', () => {
  it('creates a token shown once, which then authenticates, and revokes it', async () => {
    const res = await t.api('/tokens', { body: { name: 'ci' } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: number; name: string; token: string };
    expect(created.token).toMatch(/^chp_[A-Za-z0-9_-]{43}$/);
    const withNew = () => t.app.request(`${BASE_URL}/api/v1/categories`, { headers: { authorization: `Bearer ${created.token}` } });
    expect((await withNew()).status).toBe(200);

    const list = (await (await t.api('/tokens')).json()) as { items: Record<string, unknown>[] };
    expect(list.items.map((i) => i.name)).toEqual(['test', 'ci']);
    expect(list.items.every((i) => !('token' in i) && !('hash' in i))).toBe(true);

    expect((await t.api(`/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await withNew()).status).toBe(401);
    expect((await t.api(`/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('stores only a hash of the token', async () => {
    const { token } = (await (await t.api('/tokens', { body: { name: 'x' } })).json()) as { token: string };
    const rows = (await t.database.db.all('SELECT * FROM tokens' as never)) as Record<string, unknown>[];
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('records when a token was last used', async () => {
    await t.api('/categories');
    const list = (await (await t.api('/tokens')).json()) as { items: { lastUsedAt: string | null }[] };
    expect(list.items[0]!.lastUsedAt).not.toBeNull();
  });

  it('422 for a missing name', async () => {
    const res = await t.api('/tokens', { body: {} });
    expect(res.status).toBe(422);
  });
});

describe('wrong-token throttle', () => {
  it('answers 429 with Retry-After to an address after 20 wrong tokens, and only to that address', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const app = await testApp({ clientIp: (c) => c.req.header('x-test-ip') ?? null, now: () => new Date(clock) });
    const call = (ip: string, token: string) => app.app.request(`${BASE_URL}/api/v1/categories`, { headers: { authorization: `Bearer ${token}`, 'x-test-ip': ip } });
    for (let i = 0; i < 20; i++) expect((await call('10.0.0.1', `wrong-${i}`)).status).toBe(401);
    const blocked = await call('10.0.0.1', 'wrong-again');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('content-type')).toBe('application/problem+json');
    expect((await call('10.0.0.2', TOKEN)).status).toBe(200);
    // The window passes: the address may try again.
    clock += 16 * 60 * 1000;
    expect((await call('10.0.0.1', TOKEN)).status).toBe(200);
    await app.close();
  });
});
