import type { Context } from 'hono';

/**
 * Lets work finish after the response: on Workers through `waitUntil` (else it may be cut off
 * once the response is sent); on Node the promise simply runs on. Failures are the work's own
 * business: it must catch and log them itself.
 */
export function runInBackground(c: Context, work: Promise<unknown> | void | undefined): void {
  if (!work) return;
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (Node, tests): nothing to extend.
  }
}
