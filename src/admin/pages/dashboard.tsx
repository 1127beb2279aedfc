/** @jsxImportSource hono/jsx */
/** The dashboard: source health, then feeds and links, as charts with the numbers beside them. */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { toPersianDigits } from '../../core/persian.ts';
import type { PublishedFeed } from '../../core/types.ts';
import type { Repos } from '../../db/repos/index.ts';
import type { Source } from '../../db/repos/sources.ts';
import { READER_WINDOW_MS } from '../../shortlinks/traffic.ts';
import { BarChart } from './charts.tsx';
import { sendPage, type PagesEnv } from './env.ts';
import { Layout, When, noticeOf } from './layout.tsx';

function health(source: Source): { label: string; tone: 'ok' | 'bad' | '' } {
  if (source.state !== 'active') return { label: source.state === 'gone' ? 'حذف‌شده در مبدأ · gone' : 'غیرفعال · disabled', tone: 'bad' };
  if (!source.lastFetchedAt) return { label: 'هنوز واکشی نشده · never fetched', tone: '' };
  if (source.errorCount > 0) return { label: `${toPersianDigits(String(source.errorCount))} خطای پیاپی · failing`, tone: 'bad' };
  return { label: 'سالم · ok', tone: 'ok' };
}

export function SourceHealthTable({ sources }: { sources: Source[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>منبع · Source</th>
          <th>وضعیت · Health</th>
          <th>آخرین واکشی · Last fetch</th>
          <th>آخرین خطا · Last error</th>
          <th>بررسی بعدی · Next check</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((source) => {
          const { label, tone } = health(source);
          return (
            <tr>
              <td>
                <a href={`/admin/sources/${source.id}`}>{source.title ?? source.url}</a>
                <div class="small ltr muted">{source.url}</div>
              </td>
              <td>
                <span class={`badge ${tone}`}>{label}</span>
                {source.lastStatus ? <div class="small muted ltr">{source.lastStatus}</div> : null}
              </td>
              <td class="small">
                <When date={source.lastFetchedAt} />
              </td>
              <td class="small">
                {source.lastError ? (
                  <>
                    <div class="ltr">{source.lastError}</div>
                    <When date={source.lastErrorAt} />
                  </>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td class="small">
                <When date={source.nextCheckAt} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;
const POLL_DAYS = 7;
const TOP_LINKS = 10;
/** Links read to find the most clicked: enough for a dashboard; the API has per-link numbers. */
const LINKS_SCANNED = 1000;

/** Polls over the last week and subscribers (the same estimate as the stats API) of each feed. */
async function feedAudiences(repos: Repos, feeds: PublishedFeed[], now: Date) {
  const sinceDay = new Date(now.getTime() - (POLL_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  const seenSince = new Date(now.getTime() - READER_WINDOW_MS);
  return Promise.all(
    feeds.map(async (feed) => {
      const audience = await repos.audience.feedAudience(feed.id, { seenSince, sinceDay });
      return {
        feed,
        polls: audience.polls.reduce((sum, p) => sum + p.count, 0),
        subscribers: audience.readers.reduce((sum, r) => sum + r.subscribers, 0),
      };
    }),
  );
}

export function dashboardPage(deps: AppDeps) {
  const { repos } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono<PagesEnv>();

  app.get('/', async (c) => {
    const [sources, feeds, categories, links] = await Promise.all([repos.sources.list(), repos.feeds.list(), repos.categories.list(), repos.links.list({ limit: LINKS_SCANNED })]);
    const failing = sources.filter((s) => s.errorCount > 0 || s.state !== 'active');
    const audiences = await feedAudiences(repos, feeds, now());
    const topLinks = links
      .filter((l) => l.clicks > 0)
      .sort((a, b) => b.clicks - a.clicks)
      .slice(0, TOP_LINKS);
    return sendPage(
      c,
      <Layout title="داشبورد · Dashboard" csrf={c.get('csrf')} section="/admin" notice={noticeOf(c.req.query('notice'))}>
        <h1>داشبورد · Dashboard</h1>
        <div class="grid charts">
          <section class="card">
            <h2>نمای کلی · Overview</h2>
            <BarChart
              title="شمار · Counts"
              bars={[
                { label: 'دسته‌ها · categories', value: categories.length, href: '/admin/categories' },
                { label: 'خوراک‌ها · feeds', value: feeds.length, href: '/admin/feeds' },
                { label: 'منبع‌ها · sources', value: sources.length, href: '/admin/sources' },
                { label: 'منبع‌های ناسالم · failing', value: failing.length, bad: true, href: '/admin/sources' },
              ]}
            />
          </section>
          <section class="card">
            <h2>خطاهای پیاپی منبع‌ها · Consecutive source errors</h2>
            <BarChart
              title="خطاهای پیاپی هر منبع · Consecutive errors per source"
              bars={failing.map((s) => ({ label: s.title ?? new URL(s.url).host, value: s.errorCount, bad: true, href: `/admin/sources/${s.id}` }))}
              empty="همهٔ منبع‌ها سالم‌اند · Every source is healthy"
            />
          </section>
        </div>
        <div class="grid charts">
          <section class="card">
            <h2>درخواست‌ها در ۷ روز · Polls, 7 days</h2>
            <BarChart title="Feed polls, last 7 days" bars={audiences.map((a) => ({ label: a.feed.title, value: a.polls, href: `/admin/feeds/${a.feed.slug}/edit` }))} empty="هنوز خوراکی نیست · No feeds yet" />
          </section>
          <section class="card">
            <h2>مشترکان · Subscribers</h2>
            <BarChart title="Estimated subscribers per feed" bars={audiences.map((a) => ({ label: a.feed.title, value: a.subscribers, href: `/admin/feeds/${a.feed.slug}/edit` }))} empty="هنوز خوراکی نیست · No feeds yet" />
            <p class="hint">خوانندگان میزبانی‌شده با شمار گزارش‌شده، و هر کاربر دیگر یک نفر، در ۷ روز گذشته · hosted readers' reported counts plus one per other client, last 7 days</p>
          </section>
          <section class="card">
            <h2>پرکلیک‌ترین پیوندها · Top links by clicks</h2>
            <BarChart title="Top short links by clicks" bars={topLinks.map((l) => ({ label: l.url ? `${l.code} · ${new URL(l.url).host}` : l.code, value: l.clicks, href: `/admin/links/${l.code}` }))} empty="هنوز کلیکی نیست · No clicks yet" />
          </section>
        </div>
        <section class="card">
          <h2>سلامت منبع‌ها · Source health</h2>
          {sources.length === 0 ? (
            <p class="muted">
              هنوز منبعی نیست · No sources yet. <a href="/admin/sources">افزودن منبع · Add one</a>
            </p>
          ) : (
            <SourceHealthTable sources={sources} />
          )}
        </section>
      </Layout>,
    );
  });

  return app;
}
