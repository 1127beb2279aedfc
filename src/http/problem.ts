/** RFC 9457 problem documents: every 4xx/5xx Chapar answers is one of these. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldProblem } from '../core/errors.ts';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPE = 'application/problem+json';

export function problemResponse(c: Context, status: ContentfulStatusCode, title: string, extra: Omit<Problem, 'title' | 'status'> = {}) {
  const body: Problem = { type: 'about:blank', title, status, ...extra };
  return c.body(JSON.stringify(body), status, { 'content-type': PROBLEM_TYPE });
}
