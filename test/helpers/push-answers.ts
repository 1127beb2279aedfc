/**
 * What a push answers of each item (id, guid, short code) against what is stored, for every
 * outcome in one push: new, new with the upstream's code, updated, unchanged, repeated within the
 * push, and deleted. Run on better-sqlite3 (test/db) and on D1 (test/workers): each driver hands
 * back the items' RETURNING rows its own way.
 */
import { expect } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { pushItems } from '../../src/ingest/push.ts';

export async function checkPushAnswers(database: Database): Promise<void> {
  const now = new Date(Date.UTC(2026, 11, 7, 2));
  const repos = createRepos(database, () => now);
  await repos.categories.create({ slug: 'senfi', name: 'صنفی', aliases: [] });
  const url = (n: number) => `https://news.example/fa/${n}`;
  const first = await pushItems(repos, [{ title: 'یک', url: url(1) }, { title: 'دو', url: url(2), shortCode: 'do' }, { title: 'سه', url: url(3) }], now);
  expect(first.map((r) => r.outcome)).toEqual(['new', 'new', 'new']);
  expect(await repos.items.tombstone(first[2]!.id)).toBe(true);

  const second = await pushItems(
    repos,
    [
      { title: 'یک', url: url(1) },
      { title: 'دو، ویرایش شده', url: url(2), categories: ['senfi'] },
      { title: 'سه', url: url(3) },
      { title: 'چهار', url: url(4), shortCode: '7' },
      { title: 'پنج', url: url(5) },
      { title: 'چهار', url: url(4), shortCode: '7' },
    ],
    now,
  );
  expect(second.map((r) => r.outcome)).toEqual(['unchanged', 'updated', 'deleted', 'new', 'new', 'unchanged']);
  // The same item keeps its id and code across pushes; a repeat within a push answers its first write.
  expect(second.slice(0, 3).map((r) => [r.id, r.shortCode])).toEqual(first.map((r) => [r.id, r.shortCode]));
  expect(second[5]).toEqual({ ...second[3], outcome: 'unchanged' });
  expect(second[3]!.shortCode).toBe('7');
  expect(second[4]!.shortCode).toMatch(/^\d+$/);
  expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(5);

  // Every answer is what a later read finds: the item, and the link its short code names.
  for (const answer of [...first, ...second]) {
    if (answer.outcome === 'deleted' || answer.id === first[2]!.id) continue;
    const stored = await repos.items.byId(answer.id);
    expect({ id: stored?.id, guid: stored?.guid, shortCode: stored?.shortCode }).toEqual({ id: answer.id, guid: answer.guid, shortCode: answer.shortCode });
    expect((await repos.links.byCode(answer.shortCode!))?.itemId).toBe(answer.id);
  }
  expect((await repos.items.byId(second[1]!.id))?.title).toBe('دو، ویرایش شده');
}
