/** @jsxImportSource hono/jsx */
/** Sources: health and errors at a glance, add by URL, change, delete. */
import { ingestDepsFor } from '../ingest-deps.ts';
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import type { Category } from '../../core/types.ts';
import type { Source, SourceInput } from '../../db/repos/sources.ts';
import { addSource, categoryIdsFor, checkSourceUrl } from '../../ingest/discover.ts';
import { fetchOptions, ingestSource } from '../../ingest/pipeline.ts';
import { sourceInput, sourcePatch } from '../api/sources.ts';
import { SourceHealthTable } from './dashboard.tsx';
import { seeOther, sendPage, type PagesContext, type PagesEnv } from './env.ts';
import { fieldErrors, many, one, readForm, wholeNumber, type FormValues } from './forms.ts';
import { CategoryChecks, ActionButton, CsrfField, Field, FormErrors, Layout, When, control, noticeOf, type FieldErrors } from './layout.tsx';

interface SourceValues {
  url: string;
  title: string;
  categories: string[];
  intervalMinutes: string;
  charset: string;
  timeZone: string;
  /** Only when editing: active or disabled. */
  state: string;
}

const EMPTY: SourceValues = { url: '', title: '', categories: [], intervalMinutes: '60', charset: '', timeZone: '', state: 'active' };

const valuesFrom = (form: FormValues): SourceValues => ({
  url: one(form, 'url'),
  title: one(form, 'title'),
  categories: many(form, 'categories'),
  intervalMinutes: one(form, 'intervalMinutes'),
  charset: one(form, 'charset'),
  timeZone: one(form, 'timeZone'),
  state: one(form, 'state'),
});

const valuesOf = (source: Source, categories: Category[]): SourceValues => ({
  url: source.url,
  title: source.title ?? '',
  categories: categories.filter((c) => source.categoryIds.includes(c.id)).map((c) => c.slug),
  intervalMinutes: String(source.intervalMinutes),
  charset: source.charset ?? '',
  timeZone: source.timeZone ?? '',
  state: source.state,
});

/** The form as the API's body: the same schema, so the pages and the API agree on every rule. */
const bodyOf = (values: SourceValues) => ({
  url: values.url,
  title: values.title || null,
  categories: values.categories,
  ...(values.intervalMinutes ? { intervalMinutes: wholeNumber(values.intervalMinutes) } : {}),
  charset: values.charset || null,
  timeZone: values.timeZone || null,
});

/** Field errors from the ingest helpers' ValidationError (`categories.0` → `categories`). */
const problemsOf = (error: ValidationError): FieldErrors =>
  Object.fromEntries(error.problems.map((p) => [p.field.split('.')[0] ?? '_form', p.message]).reverse());

function SourceForm(props: { action: string; csrf: string; values: SourceValues; errors?: FieldErrors | undefined; categories: Category[]; submit: string; editing?: boolean }) {
  const { values, errors } = props;
  return (
    <form method="post" action={props.action} class="card">
      <FormErrors errors={errors} />
      <CsrfField token={props.csrf} />
      <Field label="نشانی خوراک یا وب‌گاه · Feed or site URL" name="url" errors={errors} hint="RSS، Atom یا JSON Feed؛ نشانی صفحه‌ای که به خوراکش پیوند دارد هم پذیرفته است">
        <input type="url" dir="ltr" required maxlength={2048} value={values.url} {...control('url', errors)} />
      </Field>
      <Field label="عنوان · Title" name="title" errors={errors} hint="خالی: عنوان خود خوراک · empty: the feed's own title">
        <input type="text" maxlength={300} value={values.title} {...control('title', errors)} />
      </Field>
      <CategoryChecks legend="دسته‌های همهٔ مطالب این منبع · Categories for all its items" categories={props.categories} selected={values.categories} errors={errors} />
      <div class="grid">
        <Field label="فاصلهٔ بررسی (دقیقه) · Check every (minutes)" name="intervalMinutes" errors={errors} hint="۱ تا ۱۰۰۸۰">
          <input type="number" dir="ltr" min={1} max={10080} value={values.intervalMinutes} {...control('intervalMinutes', errors)} />
        </Field>
        <Field label="نویسه‌گذاری پیش‌فرض · Fallback charset" name="charset" errors={errors} hint="مثلاً windows-1256، وقتی خوراک چیزی نمی‌گوید">
          <input type="text" dir="ltr" maxlength={40} value={values.charset} {...control('charset', errors)} />
        </Field>
        <Field label="منطقهٔ زمانی · Time zone" name="timeZone" errors={errors} hint="برای تاریخ‌های بی‌منطقه، مثلاً Asia/Tehran">
          <input type="text" dir="ltr" maxlength={64} value={values.timeZone} {...control('timeZone', errors)} />
        </Field>
        {props.editing ? (
          <Field label="وضعیت · State" name="state" errors={errors} hint="فعال‌کردن دوباره شمار خطاها را صفر می‌کند و منبع را همین حالا بررسی می‌کند">
            <select {...control('state', errors)}>
              <option value="active" selected={values.state === 'active'}>
                فعال · active
              </option>
              <option value="disabled" selected={values.state !== 'active'}>
                غیرفعال · disabled{values.state === 'gone' ? ' (gone)' : ''}
              </option>
            </select>
          </Field>
        ) : null}
      </div>
      <p>
        <button type="submit">{props.submit}</button>
      </p>
    </form>
  );
}

/** What a fetch-now redirect may report, digits only, so nothing typed reaches the page. */
const FETCH_REPORT = /^(ok|not-modified|gone|retry-later|error|busy)\.([0-9]{1,6})\.([0-9]{1,6})$/;

function FetchReport({ report }: { report: string | undefined }) {
  const match = FETCH_REPORT.exec(report ?? '');
  if (!match) return null;
  const [, status, added, updated] = match;
  if (status === 'busy') return <p class="notice warn">این منبع همین حالا در حال واکشی است؛ کمی بعد دوباره ببینید · Being fetched right now; look again in a minute</p>;
  const good = status === 'ok' || status === 'not-modified';
  return (
    <p class={`notice ${good ? 'ok' : 'bad'}`} role="status">
      واکشی شد · Fetched: <code>{status}</code> · {added} تازه · new · {updated} به‌روز · updated
    </p>
  );
}

export function sourcePages(deps: AppDeps) {
  const { repos } = deps;
  const app = new Hono<PagesEnv>();
  const ingestDeps = ingestDepsFor(deps);
  const { ingest } = ingestDeps;

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
        <p>
          <a href="/admin/sources/preview">سایت بدون خوراک؟ پیش‌نمایش و افزودن با قالب · A site without a feed? Preview and add it with a preset</a>
        </p>
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
        <FetchReport report={c.req.query('fetched')} />
        <ActionButton action={`/admin/sources/${source.id}/fetch`} csrf={csrf} label="واکشی همین حالا · Fetch now" />
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
        <SourceForm action={`/admin/sources/${source.id}`} csrf={csrf} values={form?.values ?? valuesOf(source, categories)} errors={form?.errors} categories={categories} submit="ذخیره · Save" editing />
        <ActionButton action={`/admin/sources/${source.id}/delete`} csrf={csrf} label="حذف این منبع · Delete this source" danger confirm={`منبع «${name}» حذف شود؟ مطالبش می‌مانند.`} />
      </Layout>,
      status,
    );
  }

  app.get('/', (c) => listPage(c));

  /** Adding goes through the ingest's addSource: SSRF guard, feed discovery on a web page, category check. */
  app.post('/', async (c) => {
    const values = valuesFrom(await readForm(c));
    const parsed = sourceInput.safeParse(bodyOf(values));
    if (!parsed.success) return listPage(c, { values, errors: fieldErrors(parsed.error) }, 422);
    try {
      const source = await addSource(repos, parsed.data, fetchOptions(ingest, deps.now));
      return seeOther(c, `/admin/sources/${source.id}`, 'created');
    } catch (error) {
      if (error instanceof ValidationError) return listPage(c, { values, errors: problemsOf(error) }, 422);
      if (error instanceof ConflictError) return listPage(c, { values, errors: { url: 'این منبع از پیش هست · This source already exists' } }, 409);
      throw error;
    }
  });

  app.get('/:id', async (c) => detailPage(c, await sourceOr404(c.req.param('id'))));

  app.post('/:id', async (c) => {
    const source = await sourceOr404(c.req.param('id'));
    const values = valuesFrom(await readForm(c));
    const parsed = sourcePatch.safeParse({ ...bodyOf(values), state: values.state || undefined });
    if (!parsed.success) return detailPage(c, source, { values, errors: fieldErrors(parsed.error) }, 422);
    const { categories, state, ...rest } = parsed.data;
    const patch: Partial<SourceInput> = { ...rest };
    // Leaving a gone source's state alone keeps it gone; choosing "active" brings it back.
    if (state && !(state === 'disabled' && source.state === 'gone')) patch.state = state;
    try {
      patch.categoryIds = await categoryIdsFor(repos, categories ?? []);
      if (patch.url !== undefined && patch.url !== source.url) await checkSourceUrl(patch.url, fetchOptions(ingest));
      await repos.sources.update(source.id, patch, 'api');
    } catch (error) {
      if (error instanceof ValidationError) return detailPage(c, source, { values, errors: problemsOf(error) }, 422);
      if (error instanceof ConflictError) return detailPage(c, source, { values, errors: { url: 'این منبع از پیش هست · This source already exists' } }, 409);
      throw error;
    }
    return seeOther(c, `/admin/sources/${source.id}`, 'saved');
  });

  app.post('/:id/fetch', async (c) => {
    const source = await sourceOr404(c.req.param('id'));
    const result = await ingestSource(ingestDeps, source.id);
    c.header('Cache-Control', 'no-store');
    return c.redirect(`/admin/sources/${source.id}?fetched=${result.status}.${result.new}.${result.updated}`, 303);
  });

  app.post('/:id/delete', async (c) => {
    const source = await sourceOr404(c.req.param('id'));
    await repos.sources.remove(source.id);
    return seeOther(c, '/admin/sources', 'deleted');
  });

  return app;
}
