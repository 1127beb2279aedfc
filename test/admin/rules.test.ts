import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';
import { rss, startUpstream, type Upstream } from '../ingest/upstream.ts';

let t: TestApp;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  t = await testApp({ config: { fetchAllowPrivate: true } });
  for (const body of [
    { slug: 'siasi', name: 'سیاسی' },
    { slug: 'varzeshi', name: 'ورزشی' },
  ]) await t.api('/categories', { body });
});
afterEach(() => t.close());

const ruleSchema = z.strictObject({
  id: z.number().int(),
  category: z.string(),
  field: z.enum(['title', 'summary', 'content', 'text', 'url', 'author', 'label']),
  op: z.enum(['contains', 'regex']),
  value: z.string(),
  createdAt: z.string(),
});
const problemSchema = z.object({ type: z.string(), title: z.string(), status: z.number(), errors: z.array(z.object({ field: z.string(), message: z.string() })).optional() });

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return problemSchema.parse(await res.json());
}

describe('rules: happy path', () => {
  it('creates, reads, lists, changes and removes', async () => {
    const res = await t.api('/rules', { body: { category: 'siasi', field: 'title', op: 'contains', value: 'مجلس' } });
    expect(res.status).toBe(201);
    const rule = ruleSchema.parse(await res.json());
    expect(rule).toMatchObject({ category: 'siasi', field: 'title', op: 'contains', value: 'مجلس' });
    expect(ruleSchema.parse(await (await t.api(`/rules/${rule.id}`)).json())).toEqual(rule);
    await t.api('/rules', { body: { category: 'varzeshi', field: 'label', op: 'regex', value: '^(فوتبال|والیبال)$' } });
    const page = (await (await t.api('/rules?limit=1')).json()) as { items: unknown[]; next: string };
    expect(page.items.map((r) => ruleSchema.parse(r).id)).toEqual([rule.id]);
    const rest = (await (await t.api(`/rules?cursor=${page.next}`)).json()) as { items: unknown[]; next: null };
    expect(rest.items).toHaveLength(1);
    const patched = ruleSchema.parse(await (await t.api(`/rules/${rule.id}`, { method: 'PATCH', body: { category: 'varzeshi', op: 'regex', value: 'جام\\s{0,3}جهانی' } })).json());
    expect(patched).toMatchObject({ id: rule.id, category: 'varzeshi', op: 'regex', value: 'جام\\s{0,3}جهانی' });
    expect((await t.api(`/rules/${rule.id}`, { method: 'DELETE' })).status).toBe(204);
    await problem(await t.api(`/rules/${rule.id}`), 404);
  });

  it('categorises fetched items by rule, across Persian spellings', async () => {
    await t.api('/rules', { body: { category: 'siasi', field: 'text', op: 'contains', value: 'انتخابات ریاست‌جمهوری' } });
    await t.api('/rules', { body: { category: 'varzeshi', field: 'label', op: 'regex', value: '^ورزش' } });
    const url = upstream.serve(
      '/feed',
      200,
      {},
      rss([
        { title: 'خبر', guid: '1', description: 'نتیجه انتخابات رياست جمهوري اعلام شد' },
        { title: 'خبر دیگر', guid: '2', categories: ['ورزش و سلامت'] },
        { title: 'سوم', guid: '3' },
      ]),
    );
    const source = (await (await t.api('/sources', { body: { url } })).json()) as { id: number };
    expect(await (await t.api(`/sources/${source.id}/fetch`, { method: 'POST' })).json()).toMatchObject({ status: 'ok', new: 3 });
    const bySlug = Object.fromEntries((await t.repos.items.list([], { limit: 10 })).map((i) => [i.guid, i.categories.map((c) => c.slug)]));
    expect(bySlug).toEqual({ '1': ['siasi'], '2': ['varzeshi'], '3': [] });
  });

  it('goes away with its category', async () => {
    const rule = ruleSchema.parse(await (await t.api('/rules', { body: { category: 'siasi', field: 'title', op: 'contains', value: 'x' } })).json());
    expect((await t.api('/categories/siasi', { method: 'DELETE' })).status).toBe(204);
    await problem(await t.api(`/rules/${rule.id}`), 404);
  });
});

describe('rules: bad input is a 4xx problem document', () => {
  it.each([
    ['an invalid regex', { category: 'siasi', field: 'title', op: 'regex', value: '(unclosed' }, 'value', /not a valid regular expression/],
    ['a nested quantifier', { category: 'siasi', field: 'title', op: 'regex', value: '(a+)+$' }, 'value', /exponential time/],
    ['an alternation under a repeat', { category: 'siasi', field: 'title', op: 'regex', value: '(a|aa)*b' }, 'value', /exponential time/],
    ['a backreference', { category: 'siasi', field: 'title', op: 'regex', value: '(a)\\1' }, 'value', /backreference/],
    ['two unbounded repeats', { category: 'siasi', field: 'text', op: 'regex', value: 'a.*b.*c' }, 'value', /too costly/],
    ['a pattern over 200 characters', { category: 'siasi', field: 'title', op: 'regex', value: 'a'.repeat(201) }, 'value', /at most 200/],
    ['an empty value', { category: 'siasi', field: 'title', op: 'contains', value: '' }, 'value', /empty/],
    ['a value of marks only', { category: 'siasi', field: 'title', op: 'contains', value: '\u200c ـ' }, 'value', /some text/],
    ['an unknown field', { category: 'siasi', field: 'body', op: 'contains', value: 'x' }, 'field', /one of/],
    ['an unknown op', { category: 'siasi', field: 'title', op: 'equals', value: 'x' }, 'op', /contains/],
    ['an unknown category', { category: 'nope', field: 'title', op: 'contains', value: 'x' }, 'category', /no category/],
    ['a missing category', { field: 'title', op: 'contains', value: 'x' }, 'category', /./],
    ['an extra key', { category: 'siasi', field: 'title', op: 'contains', value: 'x', flags: 'g' }, '(body)', /./],
  ])('POST with %s → 422 naming the field', async (_, body, field, message) => {
    const doc = await problem(await t.api('/rules', { body }), 422);
    expect(doc.errors).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(await t.repos.rules.all()).toEqual([]);
  });

  it('PATCH checks the value against the op it will run under', async () => {
    const rule = ruleSchema.parse(await (await t.api('/rules', { body: { category: 'siasi', field: 'title', op: 'contains', value: '(a+)+' } })).json());
    const doc = await problem(await t.api(`/rules/${rule.id}`, { method: 'PATCH', body: { op: 'regex' } }), 422);
    expect(doc.errors![0]!.field).toBe('value');
    await problem(await t.api(`/rules/${rule.id}`, { method: 'PATCH', body: { category: 'nope' } }), 422);
    await problem(await t.api(`/rules/${rule.id}`, { method: 'PATCH', body: '{' }), 400);
    expect(ruleSchema.parse(await (await t.api(`/rules/${rule.id}`)).json())).toMatchObject({ op: 'contains', category: 'siasi' });
  });

  it.each(['999', 'x', '0'])('unknown id %s → 404', async (id) => {
    await problem(await t.api(`/rules/${id}`), 404);
    await problem(await t.api(`/rules/${id}`, { method: 'PATCH', body: { value: 'y' } }), 404);
    await problem(await t.api(`/rules/${id}`, { method: 'DELETE' }), 404);
  });

  it('401 without a token', async () => {
    await problem(await t.app.request(`${BASE_URL}/api/v1/rules`), 401);
  });
});
