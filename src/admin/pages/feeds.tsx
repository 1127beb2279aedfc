/** @jsxImportSource hono/jsx */
/**
 * Published feeds: list, and a create/edit form that is also a filter builder. The preview of
 * what a filter would publish is rendered on the server (the form's Preview button, or a GET
 * with the filter in the query); admin.js refreshes it as the admin types.
 */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { toPersianDigits } from '../../core/persian.ts';
import type { FeedFilter, Item, PublishedFeed } from '../../core/types.ts';
import type { Source } from '../../db/repos/sources.ts';
import { feedUrl } from '../../publish/routes.ts';
import { feedFilter, feedInput } from '../schemas.ts';
import { seeOther, sendPage, type PagesContext, type PagesEnv } from './env.ts';
import { fieldErrors, lines, many, one, queryForm, readForm, wholeNumber, type FormValues } from './forms.ts';
import { ActionButton, CategoryChecks, CsrfField, Field, FormErrors, Layout, When, control, noticeOf, type FieldErrors } from './layout.tsx';

const PREVIEW_SIZE = 20;

interface FeedValues {
  slug: string;
  title: string;
  description: string;
  language: string;
  limit: string;
  links: string;
  categories: string[];
  match: string;
  include: string;
  exclude: string;
  sources: string[];
}

const EMPTY: FeedValues = { slug: '', title: '', description: '', language: 'fa', limit: '50', links: 'original', categories: [], match: 'any', include: '', exclude: '', sources: [] };

const valuesOf = (feed: PublishedFeed): FeedValues => ({
  slug: feed.slug,
  title: feed.title,
  description: feed.description ?? '',
  language: feed.language ?? '',
  limit: String(feed.limit),
  links: feed.links,
  categories: feed.filter.categories ?? [],
  match: feed.filter.match ?? 'any',
  include: (feed.filter.include ?? []).join('\n'),
  exclude: (feed.filter.exclude ?? []).join('\n'),
  sources: (feed.filter.sources ?? []).map(String),
});

const valuesFrom = (form: FormValues, fallback: FeedValues = EMPTY): FeedValues => ({
  slug: one(form, 'slug'),
  title: one(form, 'title'),
  description: one(form, 'description'),
  language: one(form, 'language'),
  limit: one(form, 'limit') || fallback.limit,
  links: one(form, 'links') || fallback.links,
  categories: many(form, 'categories'),
  match: one(form, 'match') || 'any',
  include: form['include']?.[0] ?? '',
  exclude: form['exclude']?.[0] ?? '',
  sources: many(form, 'sources'),
});

/** The filter part alone, so a preview works while the rest of the form is still half filled. */
function filterOf(values: FeedValues): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (values.categories.length > 0) {
    filter.categories = values.categories;
    filter.match = values.match;
  }
  if (values.sources.length > 0) filter.sources = values.sources.map((s) => wholeNumber(s));
  const include = lines(values.include);
  const exclude = lines(values.exclude);
  if (include.length > 0) filter.include = include;
  if (exclude.length > 0) filter.exclude = exclude;
  return filter;
}

const renameFilterPath = (path: string[]) => (path[0] === 'filter' ? (path[1] ?? 'filter') : (path[0] ?? '_form'));

function parseFilter(values: FeedValues) {
  const result = feedFilter.safeParse(filterOf(values));
  return result.success ? { ok: true as const, filter: result.data as FeedFilter } : { ok: false as const, errors: fieldErrors(result.error) };
}

function parseFeed(values: FeedValues) {
  const result = feedInput.safeParse({
    slug: values.slug,
    title: values.title,
    description: values.description || null,
    language: values.language || null,
    limit: wholeNumber(values.limit),
    links: values.links,
    filter: filterOf(values),
  });
  return result.success ? { ok: true as const, input: result.data } : { ok: false as const, errors: fieldErrors(result.error, renameFilterPath) };
}

function describeFilter(filter: FeedFilter, sources: Map<number, string>): string {
  const parts: string[] = [];
  if (filter.categories?.length) parts.push(`دسته: ${filter.categories.join(filter.match === 'all' ? ' و ' : ' یا ')}`);
  if (filter.sources?.length) parts.push(`منبع: ${filter.sources.map((id) => sources.get(id) ?? `#${id}`).join('، ')}`);
  if (filter.include?.length) parts.push(`شامل: ${filter.include.join('، ')}`);
  if (filter.exclude?.length) parts.push(`بدون: ${filter.exclude.join('، ')}`);
  return parts.length > 0 ? parts.join(' · ') : 'همهٔ مطالب · every item';
}

export function Preview(props: { items: Item[] | null; errors?: FieldErrors | undefined }) {
  if (props.errors && Object.keys(props.errors).length > 0) {
    return (
      <div class="notice bad" role="alert">
        فیلتر نادرست است · The filter is invalid:{' '}
        {Object.entries(props.errors)
          .map(([field, message]) => `${field}: ${message}`)
          .join('; ')}
      </div>
    );
  }
  const items = props.items ?? [];
  if (items.length === 0) return <p class="muted">هیچ مطلبی با این فیلتر جور نیست · No items match this filter yet</p>;
  return (
    <>
      <p class="muted small">
        {toPersianDigits(String(items.length))} مطلب تازه‌تری که این خوراک منتشر می‌کند · The newest {items.length === 1 ? 'item' : `${items.length} items`} it would publish
      </p>
      <ol class="preview">
        {items.map((item) => (
          <li>
            <a href={`/items/${item.id}`}>{item.title}</a>
            <div class="small muted">
              <When date={item.publishedAt} />{' '}
              {item.categories.map((category) => (
                <span class="badge">{category.name}</span>
              ))}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

function FeedForm(props: {
  action: string;
  csrf: string;
  values: FeedValues;
  errors?: FieldErrors | undefined;
  categories: { slug: string; name: string }[];
  sources: Source[];
  preview: unknown;
  isNew: boolean;
}) {
  const { values, errors } = props;
  const checked = (list: string[], value: string) => list.includes(value);
  return (
    <form method="post" action={props.action} data-preview="/admin/feeds/preview" class="split">
      <div class="card">
        <FormErrors errors={errors} />
        <CsrfField token={props.csrf} />
        <Field label="عنوان · Title" name="title" errors={errors}>
          <input type="text" required maxlength={300} value={values.title} {...control('title', errors)} />
        </Field>
        <Field label="نامک · Slug" name="slug" errors={errors} hint={<>نشانی خوراک · feed URL: <code>/feeds/{values.slug || '<slug>'}.rss</code></>}>
          <input type="text" dir="ltr" required maxlength={64} value={values.slug} {...control('slug', errors)} />
        </Field>
        <Field label="توضیح · Description" name="description" errors={errors}>
          <textarea rows={2} maxlength={2000} {...control('description', errors)}>
            {values.description}
          </textarea>
        </Field>
        <div class="grid">
          <Field label="زبان · Language" name="language" errors={errors} hint="fa، en، ar …">
            <input type="text" dir="ltr" maxlength={20} value={values.language} {...control('language', errors)} />
          </Field>
          <Field label="تعداد مطلب · Items per feed" name="limit" errors={errors} hint="۱ تا ۱۰۰">
            <input type="number" dir="ltr" min={1} max={100} value={values.limit} {...control('limit', errors)} />
          </Field>
          <Field label="پیوندها · Links" name="links" errors={errors}>
            <select {...control('links', errors)}>
              <option value="original" selected={values.links === 'original'}>
                نشانی اصلی · original
              </option>
              <option value="short" selected={values.links === 'short'}>
                پیوند کوتاه · short
              </option>
            </select>
          </Field>
        </div>

        <CategoryChecks legend="دسته‌ها · Categories" categories={props.categories} selected={values.categories} errors={errors}>
          <p>
            <label class="inline">
              <input type="radio" name="match" value="any" checked={values.match !== 'all'} />
              هر کدام · any
            </label>
            <label class="inline">
              <input type="radio" name="match" value="all" checked={values.match === 'all'} />
              همه با هم · all
            </label>
          </p>
        </CategoryChecks>

        <div class="grid">
          <Field label="شامل یکی از این واژه‌ها · Include words" name="include" errors={errors} hint="هر واژه در یک سطر">
            <textarea rows={3} {...control('include', errors)}>
              {values.include}
            </textarea>
          </Field>
          <Field label="بدون این واژه‌ها · Exclude words" name="exclude" errors={errors} hint="هر واژه در یک سطر">
            <textarea rows={3} {...control('exclude', errors)}>
              {values.exclude}
            </textarea>
          </Field>
        </div>

        {props.sources.length > 0 || errors?.['sources'] ? (
          <fieldset aria-describedby={errors?.['sources'] ? 'sources-error' : undefined}>
            <legend>منبع‌ها · Sources</legend>
            {props.sources.map((source) => (
              <label class="inline">
                <input type="checkbox" name="sources" value={String(source.id)} checked={checked(values.sources, String(source.id))} />
                {source.title ?? source.url}
              </label>
            ))}
            {errors?.['sources'] ? (
              <p class="field-error" id="sources-error">
                {errors['sources']}
              </p>
            ) : null}
          </fieldset>
        ) : null}

        <p class="actions">
          <button type="submit" name="intent" value="save">
            {props.isNew ? 'ساختن خوراک · Create feed' : 'ذخیره · Save'}
          </button>
          <button type="submit" name="intent" value="preview" class="secondary">
            پیش‌نمایش · Preview
          </button>
        </p>
      </div>
      <section class="card" aria-labelledby="preview-title">
        <h2 id="preview-title">پیش‌نمایش · Preview</h2>
        <div id="preview" aria-live="polite">
          {props.preview}
        </div>
      </section>
    </form>
  );
}

export function feedPages({ repos, config }: AppDeps) {
  const app = new Hono<PagesEnv>();

  async function previewOf(values: FeedValues) {
    const parsed = parseFilter(values);
    if (!parsed.ok) return <Preview items={null} errors={parsed.errors} />;
    return <Preview items={await repos.items.list([parsed.filter], { limit: PREVIEW_SIZE })} />;
  }

  async function formPage(c: PagesContext, opts: { feed: PublishedFeed | null; values: FeedValues; errors?: FieldErrors; status?: 200 | 409 | 422 }) {
    const [categories, sources] = await Promise.all([repos.categories.list(), repos.sources.list()]);
    const { feed } = opts;
    const title = feed ? `ویرایش خوراک «${feed.title}» · Edit feed` : 'خوراک تازه · New feed';
    return sendPage(
      c,
      <Layout title={title} csrf={c.get('csrf')} section="/admin/feeds" notice={noticeOf(c.req.query('notice'))}>
        <p>
          <a href="/admin/feeds">← خوراک‌ها · Feeds</a>
        </p>
        <h1>{title}</h1>
        {feed ? (
          <p class="actions small" dir="ltr">
            {(['rss', 'atom', 'json'] as const).map((format) => (
              <a href={feedUrl(config.baseUrl, feed.slug, format)}>{feedUrl(config.baseUrl, feed.slug, format)}</a>
            ))}
          </p>
        ) : null}
        <FeedForm
          action={feed ? `/admin/feeds/${feed.slug}/edit` : '/admin/feeds'}
          csrf={c.get('csrf')}
          values={opts.values}
          errors={opts.errors}
          categories={categories}
          sources={sources}
          preview={await previewOf(opts.values)}
          isNew={!feed}
        />
        {feed ? <ActionButton action={`/admin/feeds/${feed.slug}/delete`} csrf={c.get('csrf')} label="حذف این خوراک · Delete this feed" danger confirm={`خوراک «${feed.title}» حذف شود؟`} /> : null}
      </Layout>,
      opts.status ?? 200,
    );
  }

  async function save(c: PagesContext, feed: PublishedFeed | null) {
    const form = await readForm(c);
    const values = valuesFrom(form);
    if (one(form, 'intent') === 'preview') return formPage(c, { feed, values });
    const parsed = parseFeed(values);
    if (!parsed.ok) return formPage(c, { feed, values, errors: parsed.errors, status: 422 });
    try {
      const saved = feed ? await repos.feeds.update(feed.slug, parsed.input, 'api') : await repos.feeds.create(parsed.input, 'api');
      return seeOther(c, `/admin/feeds/${saved.slug}/edit`, feed ? 'saved' : 'created');
    } catch (error) {
      if (error instanceof ConflictError) return formPage(c, { feed, values, errors: { slug: 'این نامک گرفته شده است · This slug is taken' }, status: 409 });
      throw error;
    }
  }

  async function feedOr404(slug: string) {
    const feed = await repos.feeds.bySlug(slug);
    if (!feed) throw new NotFoundError(`no feed "${slug}"`);
    return feed;
  }

  app.get('/', async (c) => {
    const [feeds, sources] = await Promise.all([repos.feeds.list(), repos.sources.list()]);
    const sourceNames = new Map(sources.map((s) => [s.id, s.title ?? s.url]));
    return sendPage(
      c,
      <Layout title="خوراک‌ها · Feeds" csrf={c.get('csrf')} section="/admin/feeds" notice={noticeOf(c.req.query('notice'))}>
        <h1>خوراک‌های منتشرشده · Published feeds</h1>
        <p>
          <a class="button" href="/admin/feeds/new">
            خوراک تازه · New feed
          </a>
        </p>
        <section class="card">
          {feeds.length === 0 ? (
            <p class="muted">هنوز خوراکی نیست · No feeds yet</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>عنوان · Title</th>
                  <th>فیلتر · Filter</th>
                  <th>نشانی · URL</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {feeds.map((feed) => (
                  <tr>
                    <td lang={feed.language ?? undefined}>
                      <a href={`/admin/feeds/${feed.slug}/edit`}>{feed.title}</a>
                    </td>
                    <td class="small">{describeFilter(feed.filter, sourceNames)}</td>
                    <td class="small">
                      <a href={feedUrl(config.baseUrl, feed.slug, 'rss')} dir="ltr">
                        <code>/feeds/{feed.slug}.rss</code>
                      </a>
                    </td>
                    <td class="actions">
                      <a class="button secondary" href={`/admin/feeds/${feed.slug}/edit`}>
                        ویرایش · Edit
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </Layout>,
    );
  });

  app.get('/new', (c) => {
    const query = queryForm(c);
    return formPage(c, { feed: null, values: Object.keys(query).length > 0 ? valuesFrom(query) : EMPTY });
  });

  /** The preview alone, as an HTML fragment for admin.js. */
  app.get('/preview', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(String(await previewOf(valuesFrom(queryForm(c)))));
  });

  app.post('/', (c) => save(c, null));

  app.get('/:slug/edit', async (c) => {
    const feed = await feedOr404(c.req.param('slug'));
    return formPage(c, { feed, values: valuesOf(feed) });
  });

  app.post('/:slug/edit', async (c) => save(c, await feedOr404(c.req.param('slug'))));

  app.post('/:slug/delete', async (c) => {
    await repos.feeds.remove(c.req.param('slug'));
    return seeOther(c, '/admin/feeds', 'deleted');
  });

  return app;
}
