import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { normaliseKey } from '../../core/persian.ts';
import { regexProblem, RULE_FIELDS, RULE_OPS, type RuleOp } from '../../core/rules.ts';
import type { RuleInput, StoredRule } from '../../db/repos/rules.ts';
import { readJson, zodProblems } from '../../http/validate.ts';
import { pageOf, registerOperations } from '../openapi.ts';
import { slug } from '../schemas.ts';
import { pageOf as pageRows, readPage } from './paging.ts';

const ruleFields = {
  category: slug.describe('the category an item that matches gets'),
  field: z.enum(RULE_FIELDS, `must be one of ${RULE_FIELDS.join(', ')}`).describe('text = title, summary and content together; label = any upstream <category>'),
  op: z.enum(RULE_OPS, 'must be "contains" or "regex"').describe('both compare Persian-normalised text (Arabic Yeh/Kaf, ZWNJ, digits), case-insensitively'),
  value: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .describe('the text, or a JavaScript pattern run with flags i and u; in a pattern \\b is a Unicode word boundary (Persian letters, marks and digits are word characters; ZWNJ is not)'),
};

/** A regex must pass the safety check; a contains value must keep some text after normalising. */
function checkValue(op: RuleOp, value: string, ctx: z.RefinementCtx): void {
  const problem = op === 'regex' ? regexProblem(value) : normaliseKey(value) === '' ? 'must hold some text besides spaces and marks' : null;
  if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
}

export const ruleInput = z.strictObject(ruleFields).superRefine((rule, ctx) => checkValue(rule.op, rule.value, ctx));
export const rulePatch = z.strictObject(ruleFields).partial();

const rule = z.object({
  id: z.number().int(),
  category: z.string(),
  field: z.enum(RULE_FIELDS),
  op: z.enum(RULE_OPS),
  value: z.string(),
  createdAt: z.string(),
});

registerOperations([
  { method: 'get', path: '/rules', tag: 'rules', summary: 'List category rules (paged)', status: 200, response: pageOf(rule), query: {
    limit: { description: 'page size, 1-200 (default 50)', schema: z.number().int().min(1).max(200) },
    cursor: { description: 'the `next` value of the previous page', schema: z.string() },
  } },
  { method: 'post', path: '/rules', tag: 'rules', summary: 'Create a rule: items whose field contains (or matches) the value get the category at their next fetch', body: ruleInput, status: 201, response: rule },
  { method: 'get', path: '/rules/{id}', tag: 'rules', summary: 'Read one rule', status: 200, response: rule },
  { method: 'patch', path: '/rules/{id}', tag: 'rules', summary: 'Change a rule', body: rulePatch, status: 200, response: rule },
  { method: 'delete', path: '/rules/{id}', tag: 'rules', summary: 'Remove a rule', status: 204 },
]);

const toJson = (r: StoredRule) => ({ id: r.id, category: r.category, field: r.field, op: r.op, value: r.value, createdAt: r.createdAt.toISOString() });

/** `/api/v1/rules`: "field contains / matches value → category", applied as items are fetched. */
export function ruleApi({ repos }: AppDeps) {
  const app = new Hono<AppEnv>();

  const idOf = (raw: string): number => {
    if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new NotFoundError(`no rule ${raw}`);
    return Number(raw);
  };
  const categoryId = async (slugValue: string): Promise<number> => {
    const category = await repos.categories.bySlug(slugValue);
    if (!category) throw new ValidationError('unknown category', [{ field: 'category', message: `no category "${slugValue}"` }]);
    return category.id;
  };

  app.get('/', async (c) => {
    const page = readPage(c);
    const rows = await repos.rules.list({ limit: page.limit + 1, ...(page.afterId ? { afterId: page.afterId } : {}) });
    const { items, next } = pageRows(rows, page);
    return c.json({ items: items.map(toJson), next });
  });

  app.post('/', async (c) => {
    const body = await readJson(c, ruleInput);
    const created = await repos.rules.create({ categoryId: await categoryId(body.category), field: body.field, op: body.op, value: body.value });
    return c.json(toJson(created), 201);
  });

  app.get('/:id', async (c) => {
    const found = await repos.rules.byId(idOf(c.req.param('id')));
    if (!found) throw new NotFoundError(`no rule ${c.req.param('id')}`);
    return c.json(toJson(found));
  });

  app.patch('/:id', async (c) => {
    const id = idOf(c.req.param('id'));
    const current = await repos.rules.byId(id);
    if (!current) throw new NotFoundError(`no rule ${id}`);
    const body = await readJson(c, rulePatch);
    // The value is checked against the op it will run under, old or new.
    const merged = ruleInput.safeParse({ category: body.category ?? current.category, field: body.field ?? current.field, op: body.op ?? current.op, value: body.value ?? current.value });
    if (!merged.success) {
      throw new ValidationError('the rule would be invalid', zodProblems(merged.error));
    }
    const patch: Partial<RuleInput> = {};
    if (body.category !== undefined) patch.categoryId = await categoryId(body.category);
    if (body.field !== undefined) patch.field = body.field;
    if (body.op !== undefined) patch.op = body.op;
    if (body.value !== undefined) patch.value = body.value;
    return c.json(toJson(await repos.rules.update(id, patch)));
  });

  app.delete('/:id', async (c) => {
    await repos.rules.remove(idOf(c.req.param('id')));
    return c.body(null, 204);
  });

  return app;
}
