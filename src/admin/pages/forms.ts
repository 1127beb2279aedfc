/** Reading HTML form posts into the same zod-checked inputs the JSON API takes. */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldErrors } from './layout.tsx';

/** Every field of a form post or query, repeated fields kept in order; files are ignored. */
export type FormValues = Record<string, string[]>;

export async function readForm(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  return collect(Object.entries(body));
}

export function queryForm(c: Context): FormValues {
  return c.req.queries() ?? {};
}

function collect(entries: [string, unknown][]): FormValues {
  const out: FormValues = {};
  for (const [name, value] of entries) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (values.length > 0) out[name] = values;
  }
  return out;
}

export const one = (form: FormValues, name: string) => (form[name]?.[0] ?? '').trim();
export const many = (form: FormValues, name: string) => (form[name] ?? []).map((v) => v.trim()).filter(Boolean);

/** Words or labels typed one per line or comma-separated (Persian comma too). */
export const lines = (text: string) =>
  text
    .split(/[\n,،]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A whole number typed into a form, or the raw text when it is not one, so zod reports it
 * against the field; an empty box means "leave the default".
 */
export function wholeNumber(text: string): number | string | undefined {
  if (text === '') return undefined;
  const ascii = text.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  return /^[0-9]{1,9}$/.test(ascii) ? Number(ascii) : text;
}

/** One message per form field; `rename` maps a zod path to the form control that holds it. */
export function fieldErrors(error: z.ZodError, rename: (path: string[]) => string = (path) => path[0] ?? '_form'): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = rename(issue.path.filter((p) => typeof p === 'string'));
    errors[field] ??= friendly(issue);
  }
  return errors;
}

function friendly(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return issue.expected === 'number' ? 'must be a whole number' : 'is required';
  if (issue.code === 'invalid_value') return `must be one of: ${issue.values.map(String).join(', ')}`;
  return issue.message;
}
