/**
 * The admin API's OpenAPI 3.1 document, built from the same zod schemas the routes validate
 * with. Every route module lists its operations here; a test checks that every /api/v1 route
 * the app serves is in the document, so it cannot fall behind.
 */
import { z } from 'zod';
import { categoryInput, feedInput, itemInput, itemPatch, itemsInput, slug } from './schemas.ts';
import { tokenInput } from './api/tokens.ts';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path under /api/v1, e.g. `/categories/{slug}`. */
  path: string;
  tag: string;
  summary: string;
  body?: z.ZodType;
  /** Success status and schema; 204 has none. */
  status: number;
  response?: z.ZodType;
  query?: Record<string, { description: string; schema: z.ZodType }>;
}

const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const pageOf = (item: z.ZodType) => z.object({ items: z.array(item), next: z.string().nullable().describe('cursor for the next page, or null on the last') });
const paging = {
  limit: { description: 'page size, 1-200 (default 50)', schema: z.number().int().min(1).max(200) },
  cursor: { description: 'the `next` value of the previous page', schema: z.string() },
};

const category = z.object({ id: z.number().int(), slug, name: z.string(), aliases: z.array(z.string()), description: z.string().nullable() });
const feed = feedInput.extend({
  id: z.number().int(),
  urls: z.object({ rss: z.string(), atom: z.string(), json: z.string() }),
  updatedAt: z.string(),
});
const item = z.object({
  id: z.number().int(),
  sourceId: z.number().int().nullable(),
  guid: z.string(),
  url: z.string().nullable(),
  title: z.string(),
  summary: z.string().nullable(),
  content: z.string().nullable(),
  author: z.string().nullable(),
  publishedAt: z.string(),
  updatedAt: z.string().nullable(),
  labels: z.array(z.string()),
  categories: z.array(z.object({ slug: z.string(), name: z.string() })),
  shortCode: z.string().nullable(),
});
const pushResult = z.object({
  items: z.array(
    z.object({ id: z.number().int(), guid: z.string(), status: z.enum(['new', 'updated', 'unchanged', 'deleted']), shortCode: z.string().nullable(), shortUrl: z.string().nullable() }),
  ),
});
const token = z.object({ id: z.number().int(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });

/** Create, list, read, change and delete for one resource keyed by `key`. */
function crud(tag: string, base: string, key: string, input: z.ZodType & { partial(): z.ZodType }, output: z.ZodType): Operation[] {
  const one = `${base}/{${key}}`;
  return [
    { method: 'get', path: base, tag, summary: `List ${tag} (paged)`, status: 200, response: pageOf(output), query: paging },
    { method: 'post', path: base, tag, summary: `Create a ${tag.replace(/s$/, '')}`, body: input, status: 201, response: output },
    { method: 'get', path: one, tag, summary: `Read one`, status: 200, response: output },
    { method: 'patch', path: one, tag, summary: `Change some fields`, body: input.partial(), status: 200, response: output },
    { method: 'delete', path: one, tag, summary: `Remove`, status: 204 },
  ];
}

const registry: Operation[] = [
  ...crud('categories', '/categories', 'slug', categoryInput, category),
  ...crud('feeds', '/feeds', 'slug', feedInput, feed),
  {
    method: 'post',
    path: '/items',
    tag: 'items',
    summary: 'Push one item or up to 1,000 (all or nothing; 422 names the index and field of each bad item)',
    body: z.union([itemInput, itemsInput]),
    status: 201,
    response: pushResult,
  },
  {
    method: 'get',
    path: '/items',
    tag: 'items',
    summary: 'List items newest first; takes the feed query language (category, q, since, until, source, limit)',
    status: 200,
    response: pageOf(item),
    query: {
      q: { description: 'full-text search, Persian-normalised', schema: z.string() },
      category: { description: 'category slug (repeatable)', schema: z.string() },
      limit: { description: 'page size, 1-100 (default 50)', schema: z.number().int().min(1).max(100) },
      cursor: { description: 'the `next` value of the previous page', schema: z.string() },
    },
  },
  { method: 'get', path: '/items/{id}', tag: 'items', summary: 'Read one item', status: 200, response: item },
  { method: 'patch', path: '/items/{id}', tag: 'items', summary: 'Recategorise an item', body: itemPatch, status: 200, response: item },
  { method: 'delete', path: '/items/{id}', tag: 'items', summary: 'Delete an item (a tombstone keeps it from coming back)', status: 204 },
  { method: 'get', path: '/tokens', tag: 'tokens', summary: 'List live admin tokens (never the tokens themselves)', status: 200, response: pageOf(token), query: paging },
  { method: 'post', path: '/tokens', tag: 'tokens', summary: 'Create a token; the answer is the only time it is shown', body: tokenInput, status: 201, response: token.extend({ token: z.string() }) },
  { method: 'delete', path: '/tokens/{id}', tag: 'tokens', summary: 'Revoke a token', status: 204 },
];

/** Route modules added later register their operations here. */
export function registerOperations(operations: Operation[]): void {
  for (const op of operations) {
    if (!registry.some((r) => r.method === op.method && r.path === op.path)) registry.push(op);
  }
}

export function operations(): readonly Operation[] {
  return registry;
}

/** OpenAPI 3.1 schemas are JSON Schema 2020-12; the per-schema `$schema` key is dropped inside the document. */
function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return json;
}

export function openApiDocument(baseUrl: string, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of registry) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const query = Object.entries(op.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: false, description: q.description, schema: schemaOf(q.schema) }));
    const responses: Record<string, unknown> = {
      [op.status]: op.response ? { description: 'success', content: { 'application/json': { schema: schemaOf(op.response) } } } : { description: 'success, no body' },
      401: { $ref: '#/components/responses/Unauthorized' },
    };
    if (op.body) {
      responses[400] = { $ref: '#/components/responses/Problem' };
      responses[422] = { $ref: '#/components/responses/Problem' };
      responses[413] = { $ref: '#/components/responses/Problem' };
    }
    if (params.length) responses[404] = { $ref: '#/components/responses/Problem' };
    if (op.method === 'post' || op.method === 'patch') responses[409] = { $ref: '#/components/responses/Problem' };
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      tags: [op.tag],
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9_]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Chapar admin API', version, description: 'Configure categories, sources, published feeds, items, rules, short links and tokens.' },
    servers: [{ url: `${baseUrl}/api/v1` }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An admin token (CHAPAR_ADMIN_TOKEN or one made with `chapar token create`)' } },
      schemas: { Problem: schemaOf(problem) },
      responses: {
        Problem: { description: 'RFC 9457 problem document', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        Unauthorized: { description: 'missing or invalid bearer token', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    },
  };
}
