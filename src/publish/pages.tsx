/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { formatJalali } from '../core/jalali.ts';
import type { Item, PublishedFeed } from '../core/types.ts';
import { problemResponse } from '../http/problem.ts';
import { feedUrl } from './routes.ts';

const FORMAT_TYPES = [
  ['rss', 'application/rss+xml', 'RSS'],
  ['atom', 'application/atom+xml', 'Atom'],
  ['json', 'application/feed+json', 'JSON Feed'],
] as const;

const RTL_LANGUAGES = /^(fa|ar|he|ur|ps|ckb|ku|yi|dv|sd|ug)(-|$)/i;
export const isRtl = (language: string | null | undefined) => RTL_LANGUAGES.test(language ?? '');

const STYLE = `
body{font-family:Vazirmatn,Tahoma,"Segoe UI",system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.7;color:#1d1d1f;background:#fcfcfa}
h1{font-size:1.6rem}a{color:#0b57d0}ul.feeds{list-style:none;padding:0}ul.feeds li{border:1px solid #ddd;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0;background:#fff}
.formats a{margin-inline-end:.75rem;font-size:.9rem}code{direction:ltr;unicode-bidi:embed;font-size:.85rem;background:#f2f2ee;padding:.1rem .3rem;border-radius:.25rem}
.meta{color:#666;font-size:.85rem}article{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1rem 1.25rem}img{max-width:100%;height:auto}
`;

function Layout(props: { title: string; lang: string; head?: Child; children?: Child }) {
  return (
    <html lang={props.lang} dir={isRtl(props.lang) ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.head}
        <style>{STYLE}</style>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

function FeedEntry({ feed, baseUrl }: { feed: PublishedFeed; baseUrl: string }) {
  return (
    <li lang={feed.language ?? undefined} dir={isRtl(feed.language) ? 'rtl' : undefined}>
      <strong>{feed.title}</strong>
      {feed.description ? <p>{feed.description}</p> : null}
      <div class="formats" dir="ltr">
        {FORMAT_TYPES.map(([format, , label]) => (
          <a href={feedUrl(baseUrl, feed.slug, format)} data-format={format}>
            {label}
          </a>
        ))}
      </div>
      <p class="meta">
        <code>{feedUrl(baseUrl, feed.slug, 'rss')}</code>
      </p>
    </li>
  );
}

export function pageRoutes(deps: AppDeps) {
  const { repos, config } = deps;
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const feeds = await repos.feeds.list();
    const lang = feeds.some((f) => isRtl(f.language)) ? 'fa' : 'en';
    const head = feeds.flatMap((feed) =>
      FORMAT_TYPES.map(([format, type]) => <link rel="alternate" type={type} title={feed.title} href={feedUrl(config.baseUrl, feed.slug, format)} />),
    );
    c.header('Cache-Control', 'public, max-age=60');
    return c.html(
      '<!doctype html>' +
        (
          <Layout title="چاپار · Chapar" lang={lang} head={head}>
            <h1>چاپار · Chapar</h1>
            <p>خوراک‌های منتشرشده · Published feeds</p>
            <ul class="feeds">
              {feeds.map((feed) => (
                <FeedEntry feed={feed} baseUrl={config.baseUrl} />
              ))}
            </ul>
            <p class="meta" dir="ltr">
              <a href="/opml">OPML</a>
            </p>
          </Layout>
        ),
    );
  });

  app.get('/items/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const item: Item | null = Number.isInteger(id) && id > 0 ? await repos.items.byId(id) : null;
    if (!item) return problemResponse(c, 404, 'Not Found', { detail: 'no such item' });
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(
      '<!doctype html>' +
        (
          <Layout title={item.title} lang="fa">
            <article>
              <h1>{item.title}</h1>
              <p class="meta">
                <time datetime={item.publishedAt.toISOString()}>{formatJalali(item.publishedAt)}</time>
                {' · '}
                <span dir="ltr">{item.publishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</span>
                {item.categories.length > 0 ? ` · ${item.categories.map((cat) => cat.name).join('، ')}` : ''}
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
          </Layout>
        ),
    );
  });

  return app;
}
