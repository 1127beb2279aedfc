import type { Context } from 'hono';
import type { z } from 'zod';
import { ValidationError, type FieldProblem } from '../core/errors.ts';

export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Thrown for a body that is not JSON at all: a 400, unlike a well-formed but invalid one (422). */
export class MalformedBodyError extends Error {}

/** Reads and validates a JSON body once, at the edge. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new MalformedBodyError('the request body is not valid JSON');
  }
  return validate(schema, raw);
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError('the request body is invalid', zodProblems(result.error));
  return result.data;
}
