import type { Context } from 'hono';
import { ValidationError } from '../../core/errors.ts';

export interface Page {
  limit: number;
  afterId: number | undefined;
}

/** `?limit=&cursor=` on every admin list; the cursor is the last id of the previous page. */
export function readPage(c: Context): Page {
  const limitRaw = c.req.query('limit');
  const cursorRaw = c.req.query('cursor');
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError('invalid paging', [{ field: 'limit', message: 'must be a whole number from 1 to 200' }]);
  const afterId = cursorRaw === undefined ? undefined : Number(cursorRaw);
  if (afterId !== undefined && (!Number.isInteger(afterId) || afterId < 0)) throw new ValidationError('invalid paging', [{ field: 'cursor', message: 'must be a cursor from a previous page' }]);
  return { limit, afterId };
}

export function pageOf<T extends { id: number }>(rows: T[], page: Page) {
  const items = rows.slice(0, page.limit);
  return { items, next: rows.length > page.limit ? String(items.at(-1)!.id) : null };
}
