/** @jsxImportSource hono/jsx */
/** Sources: health and errors at a glance, add by URL, change, delete. */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import type { Category } from '../../core/types.ts';
import type { Source } from '../../db/repos/sources.ts';
import { sourceConfig } from '../config/schema.ts';
import { SourceHealthTable } from './dashboard.tsx';
import { seeOther, sendPage, type PagesContext, type PagesEnv } from './env.ts';
import { fieldErrors, many, one, readForm, wholeNumber, type FormValues } from './forms.ts';
import { ActionButton, CsrfField, Field, FormErrors, Layout, When, control, noticeOf, type FieldErrors } from './layout.tsx';

interface SourceValues {
  url: string;
  title: string;
  categories: string[];
  intervalMinutes: string;
  charset: string;
}

const EMPTY: SourceValues = { url: '', title: '', categories: [], intervalMinutes: '60', charset: '' };

const valuesFrom = (form: FormValues): SourceValues => ({
  url: one(form, 'url'),
  title: one(form, 'title'),
  categories: many(form, 'categories'),
  intervalMinutes: one(form, 'intervalMinutes'),
  charset: one(form, 'charset'),
});

const valuesOf = (source: Source, categories: Category[]): SourceValues => ({
  url: source.url,
  title: source.title ?? '',
  categories: categories.filter((c) => source.categoryIds.includes(c.id)).map((c) => c.slug),
  intervalMinutes: String(source.intervalMinutes),
  charset: source.charset ?? '',
});

/** The same rules as a source declared in the config files. */
function parse(values: SourceValues) {
  const result = sourceConfig.safeParse({
    url: values.url,
    ...(values.title ? { title: values.title } : {}),
    categories: values.categories,
    ...(values.intervalMinutes ? { intervalMinutes: wholeNumber(values.intervalMinutes) } : {}),
    ...(values.charset ? { charset: values.charset } : {}),
  });
  return result.success ? { ok: true as const, input: result.data } : { ok: false as const, errors: fieldErrors(result.error) };
}

function SourceForm(props: { action: string; csrf: string; values: SourceValues; errors?: FieldErrors | undefined; categories: Category[]; submit: string }) {
  const { values, errors } = props;
  return (
    <form method="post" action={props.action} class="card">
      <FormErrors errors={errors} />
      <CsrfField token={props.csrf} />
      <Field label="نشانی خوراک · Feed URL" name="url" errors={errors} hint="RSS، Atom یا JSON Feed">
        <input type="url" dir="ltr" required maxlength={2048} value={values.url} {...control('url', errors)} />
      </Field>
      <Field label="عنوان · Title" name="title" errors={errors} hint="خالی: عنوان خود خوراک · empty: the feed's own title">
        <input type="text" maxlength={300} value={values.title} {...control('title', errors)} />
      </Field>
      <fieldset aria-describedby={errors?.['categories'] ? 'categories-error' : undefined}>
        <legend>دسته‌های همهٔ مطالب این منبع · Categories for all its items</legend>
        {props.categories.length === 0 ? <p class="muted small">هنوز دسته‌ای نیست · No categories yet</p> : null}
        {props.categories.map((category) => (
          <label class="inline">
            <input type="checkbox" name="categories" value={category.slug} checked={values.categories.includes(category.slug)} />
            {category.name}
          </label>
        ))}
        {errors?.['categories'] ? (
          <p class="field-error" id="categories-error">
            {errors['categories']}
          </p>
        ) : null}
      </fieldset>
      <div class="grid">
        <Field label="فاصلهٔ بررسی (دقیقه) · Check every (minutes)" name="intervalMinutes" errors={errors} hint="۱ تا ۱۰۰۸۰">
          <input type="number" dir="ltr" min={1} max={10080} value={values.intervalMinutes} {...control('intervalMinutes', errors)} />
        </Field>
        <Field label="نویسه‌گذاری پیش‌فرض · Fallback charset" name="charset" errors={errors} hint="مثلاً windows-1256، وقتی خوراک چیزی نمی‌گوید">
          <input type="text" dir="ltr" maxlength={40} value={values.charset} {...control('charset', errors)} />
        </Field>
      </div>
      <p>
        <button type="submit">{props.submit}</button>
      </p>
    </form>
  );
}

export function sourcePages({ repos }: AppDeps) {
  const app = new Hono<PagesEnv>();

  async function categoryIds(slugs: string[]) {
    const ids = await repos.categories.idsBySlugs(slugs);
    const unknown = slugs.filter((s) => !ids.has(s));
    return unknown.length > 0 ? { ok: false as const, errors: { categories: `no category "${unknown[0]}"` } } : { ok: true as const, ids: [...ids.values()] };
  }

  async function sourceOr404(raw: string) {
    const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : null;
    const source = id === null ? null : await repos.sources.byId(id);
    if (!source) throw new NotFoundError(`no source ${raw}`);
    return source;
  }

  async function listPage(c: PagesContext, form?: { values: SourceValues; errors: FieldErrors }, status: 200 | 409 | 422 = 200) {
    const [sources, categories] = await Promise.all([repos.sources.list(), repos.categories.list()]);
    return sendPage(
      c,
      <Layout title="منبع‌ها · Sources" csrf={c.get('csrf')} section="/admin/sources" notice={noticeOf(c.req.query('notice'))}>
        <h1>منبع‌ها · Sources</h1>
        <section class="card">{sources.length === 0 ? <p class="muted">هنوز منبعی نیست · No sources yet</p> : <SourceHealthTable sources={sources} />}</section>
        <h2>افزودن منبع · Add a source</h2>
        <SourceForm action="/admin/sources" csrf={c.get('csrf')} values={form?.values ?? EMPTY} errors={form?.errors} categories={categories} submit="افزودن · Add" />
      </Layout>,
      status,
    );
  }

  async function detailPage(c: PagesContext, source: Source, form?: { values: SourceValues; errors: FieldErrors }, status: 200 | 409 | 422 = 200) {
    const categories = await repos.categories.list();
    const csrf = c.get('csrf');
    const name = source.title ?? source.url;
    return sendPage(
      c,
      <Layout title={`${name} · منبع`} csrf={csrf} section="/admin/sources" notice={noticeOf(c.req.query('notice'))}>
        <p>
          <a href="/admin/sources">← منبع‌ها · Sources</a>
        </p>
        <h1>{name}</h1>
        {source.origin === 'config' ? (
          <p class="notice warn">این منبع از پرونده‌های پیکربندی آمده است؛ تغییر آن در اینجا در همگام‌سازی بعدی به‌عنوان ناسازگاری گزارش می‌شود · Declared in the config files: a change here is reported as a conflict on the next sync</p>
        ) : null}
        <section class="card">
          <h2>وضعیت · Health</h2>
          {source.lastError ? (
            <div class="notice bad" role="status">
              <div class="ltr">{source.lastError}</div>
              <div class="small">
                <When date={source.lastErrorAt} /> · {source.errorCount} خطای پیاپی · consecutive errors
              </div>
            </div>
          ) : null}
          <table>
            <tbody>
              <tr>
                <th>وضعیت · State</th>
                <td>{source.state}</td>
              </tr>
              <tr>
                <th>آخرین واکشی · Last fetch</th>
                <td>
                  <When date={source.lastFetchedAt} /> {source.lastStatus ? <code>{source.lastStatus}</code> : null}
                </td>
              </tr>
              <tr>
                <th>آخرین واکشی موفق · Last success</th>
                <td>
                  <When date={source.lastSuccessAt} />
                </td>
              </tr>
              <tr>
                <th>بررسی بعدی · Next check</th>
                <td>
                  <When date={source.nextCheckAt} />
                </td>
              </tr>
              <tr>
                <th>وب‌گاه · Site</th>
                <td class="ltr">{source.siteUrl ? <a href={source.siteUrl}>{source.siteUrl}</a> : '—'}</td>
              </tr>
            </tbody>
          </table>
        </section>
        <h2>ویرایش · Edit</h2>
        <SourceForm action={`/admin/sources/${source.id}`} csrf={csrf} values={form?.values ?? valuesOf(source, categories)} errors={form?.errors} categories={categories} submit="ذخیره · Save" />
        <ActionButton action={`/admin/sources/${source.id}/delete`} csrf={csrf} label="حذف این منبع · Delete this source" danger confirm={`منبع «${name}» حذف شود؟ مطالبش می‌مانند.`} />
      </Layout>,
      status,
    );
  }

  app.get('/', (c) => listPage(c));

  app.post('/', async (c) => {
    const values = valuesFrom(await readForm(c));
    const parsed = parse(values);
    if (!parsed.ok) return listPage(c, { values, errors: parsed.errors }, 422);
    const ids = await categoryIds(parsed.input.categories ?? []);
    if (!ids.ok) return listPage(c, { values, errors: ids.errors }, 422);
    const { categories: _, ...input } = parsed.input;
    try {
      const source = await repos.sources.create({ ...input, categoryIds: ids.ids }, 'api');
      return seeOther(c, `/admin/sources/${source.id}`, 'created');
    } catch (error) {
      if (error instanceof ConflictError) return listPage(c, { values, errors: { url: 'این منبع از پیش هست · This source already exists' } }, 409);
      throw error;
    }
  });

  app.get('/:id', async (c) => detailPage(c, await sourceOr404(c.req.param('id'))));

  app.post('/:id', async (c) => {
    const source = await sourceOr404(c.req.param('id'));
    const values = valuesFrom(await readForm(c));
    const parsed = parse(values);
    if (!parsed.ok) return detailPage(c, source, { values, errors: parsed.errors }, 422);
    const ids = await categoryIds(parsed.input.categories ?? []);
    if (!ids.ok) return detailPage(c, source, { values, errors: ids.errors }, 422);
    const { categories: _, ...input } = parsed.input;
    try {
      await repos.sources.update(source.id, { title: null, charset: null, ...input, categoryIds: ids.ids }, 'api');
    } catch (error) {
      if (error instanceof ConflictError) return detailPage(c, source, { values, errors: { url: 'این منبع از پیش هست · This source already exists' } }, 409);
      throw error;
    }
    return seeOther(c, `/admin/sources/${source.id}`, 'saved');
  });

  app.post('/:id/delete', async (c) => {
    const source = await sourceOr404(c.req.param('id'));
    await repos.sources.remove(source.id);
    return seeOther(c, '/admin/sources', 'deleted');
  });

  return app;
}
