/**
 * Query plans and times of feed requests with category filters, on a generated archive:
 * one category, a rare category, any-of and all-of two, a category with a search and with a
 * date range, and a deep page. Prints a Markdown section for bench/RESULTS.md.
 *
 *   npx tsx bench/feed-plans.ts [--items 200000] [--file /tmp/chapar-plans.db]
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createRepos } from '../src/db/repos/index.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { generateArchive } from './gen/archive.ts';
import { COMMON_WORD, SEARCH_WORD } from './gen/persian.ts';
import { feedRequestPlans } from './lib/plans.ts';

const { values: args } = parseArgs({ options: { items: { type: 'string' }, file: { type: 'string' } } });
const items = Number(args.items ?? 200_000);
const file = args.file ?? join(tmpdir(), `chapar-plans-${items}.db`);

const archive = await generateArchive(file, items, { reuse: true, log: (line) => console.error(line) });

// The generator spreads items evenly over eight categories; add a rare one (one item in 1000)
// and the feeds to ask for, once.
const database = openSqlite(file);
const repos = createRepos(database);
if (!(await repos.feeds.bySlug('plan-rare'))) {
  const rare = await repos.categories.create({ slug: 'nadir', name: 'نادر', aliases: [] });
  await database.db.run(sql`INSERT INTO item_categories (item_id, category_id) SELECT id, ${rare.id} FROM items WHERE id % 1000 = 7`);
  const feeds = [
    { slug: 'plan-one', filter: { categories: ['eqtesad'] } },
    { slug: 'plan-rare', filter: { categories: ['nadir'] } },
    { slug: 'plan-any', filter: { categories: ['eqtesad', 'nadir'] } },
    { slug: 'plan-all', filter: { categories: ['eqtesad', 'siasat'], match: 'all' as const } },
    { slug: 'plan-all-rare', filter: { categories: ['eqtesad', 'nadir'], match: 'all' as const } },
  ];
  for (const feed of feeds) await repos.feeds.create({ ...feed, title: feed.slug, limit: 50 });
}
// The app never runs ANALYZE, so plans are judged without statistics.
await database.db.run(sql`DROP TABLE IF EXISTS sqlite_stat1`);
await database.close();

const plans = await feedRequestPlans(file, [
  { name: 'one category (1/8 of items)', slug: 'plan-one', query: {} },
  { name: 'rare category (1/1000)', slug: 'plan-rare', query: {} },
  { name: 'any of two categories', slug: 'plan-any', query: {} },
  { name: 'all of two categories', slug: 'plan-all', query: {} },
  { name: 'all of two, one rare', slug: 'plan-all-rare', query: {} },
  { name: 'category + rare word', slug: 'plan-one', query: { q: [SEARCH_WORD] } },
  { name: 'category + common word', slug: 'plan-one', query: { q: [COMMON_WORD] } },
  { name: 'category + a week', slug: 'plan-one', query: { since: ['2026-09-20'], until: ['2026-09-27'] } },
  { name: 'query category on the all feed', slug: 'bench', query: { category: ['eqtesad', 'nadir'] } },
  { name: 'category, page 200 (before cursor)', slug: 'plan-one', query: { before: [`${Date.UTC(2026, 7, 15).toString(36)}.0`] } },
]);

const lines = [`Archive: ${archive.items.toLocaleString('en')} items, ${(archive.bytes / 1e6).toFixed(0)} MB (\`npx tsx bench/feed-plans.ts --items ${items}\`).`, ''];
lines.push('| request | estimates (ms) | page (ms) | rows | Last-Modified (ms) | page plan |', '|---|---:|---:|---:|---:|---|');
for (const plan of plans) {
  // Statement order: version, [estimates], page, categories of the page, [estimates], last change, category names.
  const page = plan.statements.find((s) => /order by "items"\."published_at"/i.test(s.sql))!;
  const last = plan.statements.find((s) => /order by "items"\."changed_at"/i.test(s.sql))!;
  const estimates = plan.statements.filter((s) => /LIMIT \?\)\) AS/i.test(s.sql) || /max\(id\) AS total/i.test(s.sql));
  const ms = (xs: { ms: number }[]) => xs.reduce((n, s) => n + s.ms, 0).toFixed(2);
  lines.push(`| ${plan.name} | ${ms(estimates)} | ${page.ms.toFixed(2)} | ${page.rows} | ${last.ms.toFixed(2)} | ${page.plan.map((l) => l.trim()).join('; ')} |`);
}
console.log(lines.join('\n'));
