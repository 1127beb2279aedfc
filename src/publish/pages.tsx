/** @jsxImportSource hono/jsx */
/**
 * The browser views: server-rendered HTML (no XSLT, which Chrome removed), RTL for Persian,
 * no inline script or style so the CSP can forbid both.
 */
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { formatJalali } from '../core/jalali.ts';
import type { FeedFormat, Item, PublishedFeed } from '../core/types.ts';
import { problemResponse } from '../http/problem.ts';
import { htmlToText } from '../ingest/sanitize.ts';
import { assetRoutes, assetUrl } from './assets.ts';
import { itemLink } from './build.ts';
import { acceptsHtml, pageHeaders } from './html-headers.ts';
import { opmlRoutes } from './opml.ts';
import { loadFeedPage } from './page.ts';
import { encodeCursor, parseFeedQuery } from './query.ts';
import { feedUrl } from './routes.ts';

const FORMATS: readonly (readonly [FeedFormat, string, string])[] = [
  ['rss', 'application/rss+xml', 'RSS'],
  ['atom', 'application/atom+xml', 'Atom'],
  ['json', 'application/feed+json', 'JSON Feed'],
];

const RTL_LANGUAGES = /^(fa|ar|he|ur|ps|ckb|ku|yi|dv|sd|ug)(-|$)/i;
export const isRtl = (language: string | null | undefined) => RTL_LANGUAGES.test(language ?? '');

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SITE = 'چاپار · Chapar';

const gregorianFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tehran',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The same instant twice, both in Tehran time: Jalali for readers, Gregorian beside it. */
function Dates({ date }: { date: Date }) {
  return (
    <time datetime={date.toISOString()}>
      <span class="jalali">{formatJalali(date)}</span>
      {' · '}
      <span class="gregorian" dir="ltr" lang="en">
        {gregorianFormat.format(date)}
      </span>
    </time>
  );
}

function Layout(props: { title: string; lang: string; head?: Child; children?: Child }) {
  return (
    <html lang={props.lang} dir={isRtl(props.lang) ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="icon" type="image/svg+xml" href={assetUrl('chapar.svg')} />
        <link rel="stylesheet" href={assetUrl('chapar.css')} />
        <script src={assetUrl('chapar.js')} defer />
        {props.head}
      </head>
      <body>
        <header class="site">
          <a href="/">{SITE}</a>
          <a href="/opml" dir="ltr">
            OPML
          </a>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** One subscribe line per format: a link, the URL to copy, and a copy button the script reveals. */
function SubscribeLinks({ urls }: { urls: Record<FeedFormat, string> }) {
  return (
    <ul class="subscribe" dir="ltr">
      {FORMATS.map(([format, type, label]) => (
        <li>
          <a href={urls[format]} type={type} data-format={format}>
            {label}
          </a>
          <input type="text" readonly value={urls[format]} aria-label={`${label} URL`} />
          <button type="button" data-copy={urls[format]} data-copied="کپی شد" hidden>
            کپی
          </button>
        </li>
      ))}
    </ul>
  );
}

const formatUrls = (baseUrl: string, slug: string, search = ''): Record<FeedFormat, string> => ({
  rss: `${feedUrl(baseUrl, slug, 'rss')}${search}`,
  atom: `${feedUrl(baseUrl, slug, 'atom')}${search}`,
  json: `${feedUrl(baseUrl, slug, 'json')}${search}`,
});

function Autodiscovery({ title, urls }: { title: string; urls: Record<FeedFormat, string> }) {
  return (
    <>
      {FORMATS.map(([format, type, label]) => (
        <link rel="alternate" type={type} title={`${title} (${label})`} href={urls[format]} />
      ))}
    </>
  );
}

function ItemCard({ item, feed, baseUrl }: { item: Item; feed: PublishedFeed; baseUrl: string }) {
  const excerpt = htmlToText(item.summary ?? item.content ?? '').trim();
  return (
    <li class="card item">
      <article dir="auto">
        <h2>
          <a href={itemLink(item, feed, baseUrl)}>{item.title}</a>
        </h2>
        <p class="meta">
          <Dates date={item.publishedAt} />
          {item.categories.length > 0 ? ` · ${item.categories.map((c) => c.name).join('، ')}` : ''}
          {item.author ? ` · ${item.author}` : ''}
        </p>
        {excerpt ? <p>{excerpt.length > 320 ? `${excerpt.slice(0, 320)}…` : excerpt}</p> : null}
      </article>
    </li>
  );
}

const html = (c: Context, page: Child, status: 200 | 400 = 200) => c.html(`<!doctype html>${page}`, status);

/** The request's search string without paging cursors, for subscribe links and the next search. */
function withoutCursors(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete('before');
  params.delete('after');
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function pageRoutes(deps: AppDeps) {
  const { repos, config } = deps;
  const app = new Hono<AppEnv>();
  app.route('/', assetRoutes());
  app.route('/', opmlRoutes(deps));

  app.get('/', pageHeaders, async (c) => {
    const feeds = await repos.feeds.list();
    const lang = feeds.length === 0 || feeds.some((f) => isRtl(f.language)) ? 'fa' : 'en';
    c.header('Cache-Control', 'public, max-age=60');
    return html(
      c,
      <Layout
        title={SITE}
        lang={lang}
        head={feeds.map((feed) => (
          <Autodiscovery title={feed.title} urls={formatUrls(config.baseUrl, feed.slug)} />
        ))}
      >
        <h1>خوراک‌ها · Feeds</h1>
        {feeds.length === 0 ? <p>هنوز خوراکی منتشر نشده است · No feeds are published yet.</p> : null}
        <ul class="feeds">
          {feeds.map((feed) => (
            <li class="card feed" lang={feed.language ?? undefined} dir={feed.language ? (isRtl(feed.language) ? 'rtl' : 'ltr') : 'auto'} data-slug={feed.slug}>
              <h2>
                <a href={`/feeds/${feed.slug}`}>{feed.title}</a>
              </h2>
              {feed.description ? <p>{feed.description}</p> : null}
              <SubscribeLinks urls={formatUrls(config.baseUrl, feed.slug)} />
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  app.get('/feeds/:slug', pageHeaders, async (c) => {
    const slug = c.req.param('slug');
    c.header('Vary', 'Accept');
    // Only browsers get the page; a program asking for /feeds/x without an extension is told where feeds live.
    if (!acceptsHtml(c.req.header('accept'))) {
      return problemResponse(c, 404, 'Not Found', { detail: `feeds are at /feeds/${SLUG.test(slug) ? slug : '<slug>'}.rss, .atom and .json; /feeds/<slug> is their HTML view` });
    }
    const feed = SLUG.test(slug) ? await repos.feeds.bySlug(slug) : null;
    if (!feed) return problemResponse(c, 404, 'Not Found', { detail: `no published feed "${slug}"` });

    const url = new URL(c.req.url);
    const search = withoutCursors(url);
    const parsed = parseFeedQuery(c.req.queries());
    const page = parsed.ok ? await loadFeedPage(repos, feed, parsed.query) : null;
    const q = c.req.query('q') ?? '';
    const lang = feed.language ?? 'fa';
    const pageLink = (param: 'before' | 'after', cursor: { publishedAt: number; id: number }) => {
      const params = new URLSearchParams(search);
      params.set(param, encodeCursor(cursor));
      return `/feeds/${feed.slug}?${params}`;
    };
    // Everything but q and the cursors rides along when the reader searches again.
    const kept = [...new URLSearchParams(search)].filter(([name]) => name !== 'q');
    c.header('Cache-Control', 'public, max-age=60');
    return html(
      c,
      <Layout title={`${feed.title} · ${SITE}`} lang={lang} head={<Autodiscovery title={feed.title} urls={formatUrls(config.baseUrl, feed.slug, search)} />}>
        <h1>{feed.title}</h1>
        {feed.description ? <p>{feed.description}</p> : null}
        <SubscribeLinks urls={formatUrls(config.baseUrl, feed.slug, search)} />
        <form class="search" role="search" method="get" action={`/feeds/${feed.slug}`}>
          {kept.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <input type="search" name="q" value={q} placeholder="جستجو در این خوراک · Search this feed" aria-label="جستجو · Search" />
          <button type="submit">جستجو</button>
        </form>
        {parsed.ok ? null : (
          <div class="notice" role="alert">
            <ul>
              {parsed.problems.map((p) => (
                <li>
                  <code>{p.field}</code> {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {page && page.items.length === 0 ? <p class="empty">چیزی پیدا نشد · Nothing found.</p> : null}
        {page ? (
          <ol class="items">
            {page.items.map((item) => (
              <ItemCard item={item} feed={feed} baseUrl={config.baseUrl} />
            ))}
          </ol>
        ) : null}
        {page && (page.newer || page.older) ? (
          <nav class="pager">
            {page.newer ? (
              <a rel="prev" href={pageLink('after', page.newer)}>
                → جدیدتر · Newer
              </a>
            ) : (
              <span />
            )}
            {page.older ? (
              <a rel="next" href={pageLink('before', page.older)}>
                قدیمی‌تر · Older ←
              </a>
            ) : null}
          </nav>
        ) : null}
      </Layout>,
      parsed.ok ? 200 : 400,
    );
  });

  app.get('/items/:id', pageHeaders, async (c) => {
    const id = Number(c.req.param('id'));
    const item: Item | null = Number.isInteger(id) && id > 0 ? await repos.items.byId(id) : null;
    if (!item) return problemResponse(c, 404, 'Not Found', { detail: 'no such item' });
    c.header('Cache-Control', 'public, max-age=300');
    return html(
      c,
      <Layout title={`${item.title} · ${SITE}`} lang="fa">
        <article class="card" dir="auto">
          <h1>{item.title}</h1>
          <p class="meta">
            <Dates date={item.publishedAt} />
            {item.categories.length > 0 ? ` · ${item.categories.map((cat) => cat.name).join('، ')}` : ''}
            {item.author ? ` · ${item.author}` : ''}
          </p>
          {/* content is sanitised at ingest, so it is safe to place as HTML */}
          <div dangerouslySetInnerHTML={{ __html: item.content ?? item.summary ?? '' }} />
          {item.url ? (
            <p>
              <a href={item.url}>منبع · Source</a>
            </p>
          ) : null}
          {item.shortCode ? (
            <p class="meta">
              آدرس کوتاه: <code>{`${config.baseUrl}/s/${item.shortCode}`}</code>
            </p>
          ) : null}
        </article>
      </Layout>,
    );
  });

  return app;
}
