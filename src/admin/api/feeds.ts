import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-types.ts';
import { NotFoundError } from '../../core/errors.ts';
import { readJson } from '../../http/validate.ts';
import { feedUrl } from '../../publish/routes.ts';
import type { PublishedFeed } from '../../core/types.ts';
import { feedInput } from '../schemas.ts';
import { pageOf, readPage } from './paging.ts';

export function feedApi({ repos, config }: AppDeps) {
  const app = new Hono<AppEnv>();
  const withUrls = (feed: PublishedFeed) => ({
    ...feed,
    urls: {
      rss: feedUrl(config.baseUrl, feed.slug, 'rss'),
      atom: feedUrl(config.baseUrl, feed.slug, 'atom'),
      json: feedUrl(config.baseUrl, feed.slug, 'json'),
    },
  });
  app.get('/', async (c) => {
    const page = readPage(c);
    const result = pageOf(await repos.feeds.list({ limit: page.limit + 1, afterId: page.afterId }), page);
    return c.json({ ...result, items: result.items.map(withUrls) });
  });
  app.post('/', async (c) => c.json(withUrls(await repos.feeds.create(await readJson(c, feedInput))), 201));
  app.get('/:slug', async (c) => {
    const feed = await repos.feeds.bySlug(c.req.param('slug'));
    if (!feed) throw new NotFoundError(`no feed "${c.req.param('slug')}"`);
    return c.json(withUrls(feed));
  });
  app.patch('/:slug', async (c) => c.json(withUrls(await repos.feeds.update(c.req.param('slug'), await readJson(c, feedInput.partial()), 'api'))));
  app.delete('/:slug', async (c) => {
    await repos.feeds.remove(c.req.param('slug'));
    return c.body(null, 204);
  });
  return app;
}
