/** @jsxImportSource hono/jsx */
/** Items: search with `q`, narrow by category, page back in time, recategorise, delete (a tombstone). */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { ItemFilter } from '../../core/filter.ts';
import type { ItemCursor } from '../../db/repos/items.ts';
import { seeOther, sendPage, type PagesEnv } from './env.ts';
import { many, one, queryForm, readForm } from './forms.ts';
import { ActionButton, CsrfField, Field, Layout, When, control, noticeOf, type FieldErrors } from './layout.tsx';

const PAGE_SIZE = 50;
const CURSOR = /^([0-9]{1,15})\.([1-9][0-9]{0,15})$/;

const encodeCursor = (cursor: ItemCursor) => `${cursor.publishedAt}.${cursor.id}`;

function decodeCursor(text: string): ItemCursor | null {
  const match = CURSOR.exec(text);
  return match ? { publishedAt: Number(match[1]), id: Number(match[2]) } : null;
}

/** The list page the admin deleted from (same search, same page), never anywhere else. */
function backToList(back: string | undefined): string {
  const url = new URL(back ?? '', 'http://admin.invalid/admin/items');
  if (url.origin !== 'http://admin.invalid' || url.pathname !== '/admin/items') return '/admin/items';
  url.searchParams.delete('notice');
  return url.pathname + url.search;
}

const positiveId = (text: string) => (/^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : null);

export function itemPages({ repos }: AppDeps) {
  const app = new Hono<PagesEnv>();

  app.get('/', async (c) => {
    const query = queryForm(c);
    const q = one(query, 'q');
    const category = one(query, 'category');
    const beforeText = one(query, 'before');
    const errors: FieldErrors = {};
    if (q.length > 200) errors['q'] = 'حداکثر ۲۰۰ نویسه · at most 200 characters';
    const before = beforeText ? decodeCursor(beforeText) : null;
    if (beforeText && !before) errors['before'] = 'نشانگر صفحه نادرست است · not a cursor from a next link';
    const categories = await repos.categories.list();
    if (category && !categories.some((cat) => cat.slug === category)) errors['category'] = 'چنین دسته‌ای نیست · no such category';

    const filter: ItemFilter = {};
    if (q) filter.search = [q];
    if (category) filter.categories = [category];
    const ok = Object.keys(errors).length === 0;
    const found = ok ? await repos.items.list([filter], { limit: PAGE_SIZE + 1, ...(before ? { before } : {}) }) : [];
    const page = found.slice(0, PAGE_SIZE);
    const last = page.at(-1);
    const next = found.length > PAGE_SIZE && last ? new URLSearchParams({ ...(q ? { q } : {}), ...(category ? { category } : {}), before: encodeCursor({ publishedAt: last.publishedAt.getTime(), id: last.id }) }) : null;
    const sources = new Map((await repos.sources.list()).map((s) => [s.id, s.title ?? s.url]));
    const csrf = c.get('csrf');
    const back = `/admin/items${new URL(c.req.url).search}`;

    return sendPage(
      c,
      <Layout title="مطالب · Items" csrf={csrf} section="/admin/items" notice={noticeOf(c.req.query('notice'))}>
        <h1>مطالب · Items</h1>
        <form method="get" action="/admin/items" class="card" role="search">
          <div class="grid">
            <Field label="جست‌وجو · Search" name="q" errors={errors} hint="ی/ي و ک/ك و رقم‌های فارسی/لاتین یکی حساب می‌شوند.">
              <input type="search" value={q} maxlength={400} {...control('q', errors)} />
            </Field>
            <Field label="دسته · Category" name="category" errors={errors}>
              <select {...control('category', errors)}>
                <option value="">همه · all</option>
                {categories.map((cat) => (
                  <option value={cat.slug} selected={cat.slug === category}>
                    {cat.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {errors['before'] ? <p class="field-error">{errors['before']}</p> : null}
          <p>
            <button type="submit">جست‌وجو · Search</button>
          </p>
        </form>
        <section class="card">
          {page.length === 0 ? (
            <p class="muted">مطلبی پیدا نشد · No items found</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>عنوان · Title</th>
                  <th>دسته‌ها · Categories</th>
                  <th>منبع · Source</th>
                  <th>تاریخ · Published</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {page.map((item) => (
                  <tr>
                    <td>
                      <a href={`/items/${item.id}`}>{item.title}</a>
                      {item.url ? (
                        <div class="small ltr">
                          <a href={item.url} rel="noreferrer noopener">
                            {item.url.length > 70 ? `${item.url.slice(0, 70)}…` : item.url}
                          </a>
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {item.categories.map((cat) => (
                        <span class="badge">{cat.name}</span>
                      ))}
                      <details>
                        <summary class="small">تغییر دسته‌ها · Recategorise</summary>
                        <form method="post" action={`/admin/items/${item.id}/categories?back=${encodeURIComponent(back)}`}>
                          <CsrfField token={csrf} />
                          {categories.map((cat) => (
                            <label class="small">
                              <input type="checkbox" name="category" value={cat.slug} checked={item.categories.some((mine) => mine.slug === cat.slug)} /> {cat.name}
                            </label>
                          ))}
                          <button type="submit" class="secondary">
                            ذخیره · Save
                          </button>
                        </form>
                      </details>
                    </td>
                    <td class="small">{item.sourceId === null ? <span class="muted">push</span> : (sources.get(item.sourceId) ?? `#${item.sourceId}`)}</td>
                    <td class="small">
                      <When date={item.publishedAt} />
                    </td>
                    <td class="actions">
                      <ActionButton action={`/admin/items/${item.id}/delete?back=${encodeURIComponent(back)}`} csrf={csrf} label="حذف · Delete" danger confirm="این مطلب حذف شود؟ دیگر از منبع برنمی‌گردد." />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div class="pager">
            {before ? <a href={`/admin/items?${new URLSearchParams({ ...(q ? { q } : {}), ...(category ? { category } : {}) })}`}>→ تازه‌ترین‌ها · Newest</a> : null}
            {next ? <a href={`/admin/items?${next}`}>قدیمی‌ترها ← · Older</a> : null}
          </div>
        </section>
      </Layout>,
    );
  });

  /** An admin's correction of an item's categories; holds until the upstream edits the item. */
  app.post('/:id/categories', async (c) => {
    const id = positiveId(c.req.param('id'));
    const slugs = many(await readForm(c), 'category');
    const ids = await repos.categories.idsBySlugs(slugs);
    const unknown = slugs.filter((slug) => !ids.has(slug));
    if (unknown.length > 0) throw new ValidationError('unknown categories', unknown.map((slug) => ({ field: 'category', message: `no category "${slug}"` })));
    if (id === null || !(await repos.items.setCategories(id, [...ids.values()]))) throw new NotFoundError(`no item ${c.req.param('id')}`);
    return seeOther(c, backToList(c.req.query('back')), 'saved');
  });

  /** Deleting leaves a tombstone, so a later fetch of the source cannot bring the item back. */
  app.post('/:id/delete', async (c) => {
    const id = positiveId(c.req.param('id'));
    if (id === null || !(await repos.items.tombstone(id))) throw new NotFoundError(`no item ${c.req.param('id')}`);
    return seeOther(c, backToList(c.req.query('back')), 'deleted');
  });

  return app;
}
