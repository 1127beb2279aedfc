/** @jsxImportSource hono/jsx */
/** Short links: list newest first, create for any URL, see clicks by day and referrer, change, delete. */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import type { LinkCursor, StoredLink } from '../../db/repos/links.ts';
import { isCode } from '../../shortlinks/codes.ts';
import { linkInput, linkPatch } from '../api/links.ts';
import { BarChart } from './charts.tsx';
import { seeOther, sendPage, type PagesContext, type PagesEnv } from './env.ts';
import { fieldErrors, one, readForm, wholeNumber } from './forms.ts';
import { ActionButton, CsrfField, Field, FormErrors, Layout, When, control, noticeOf, type FieldErrors } from './layout.tsx';

const PAGE_SIZE = 50;
const CLICK_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const CURSOR = /^([0-9]{1,15})\.([A-Za-z0-9_-]{1,64})$/;

interface LinkValues {
  url: string;
  code: string;
  status: string;
}

const EMPTY: LinkValues = { url: '', code: '', status: '302' };

function decodeCursor(text: string | undefined): LinkCursor | undefined {
  const match = CURSOR.exec(text ?? '');
  return match ? { createdAt: Number(match[1]), code: match[2]! } : undefined;
}

function StatusSelect({ value, errors }: { value: string; errors?: FieldErrors | undefined }) {
  return (
    <select {...control('status', errors)}>
      <option value="302" selected={value !== '301'}>
        302 · موقت (temporary)
      </option>
      <option value="301" selected={value === '301'}>
        301 · دائمی (permanent)
      </option>
    </select>
  );
}

export function linkPages(deps: AppDeps) {
  const { repos, config } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono<PagesEnv>();
  const shortUrl = (code: string) => `${config.baseUrl}/s/${code}`;
  const target = (link: StoredLink) => link.url ?? (link.itemId !== null ? `/items/${link.itemId}` : '');

  async function linkOr404(code: string) {
    const link = isCode(code) ? await repos.links.byCode(code) : null;
    if (!link) throw new NotFoundError(`no short link "${code}"`);
    return link;
  }

  async function listPage(c: PagesContext, form?: { values: LinkValues; errors: FieldErrors }, status: 200 | 409 | 422 = 200) {
    const before = decodeCursor(c.req.query('before'));
    const rows = await repos.links.list({ limit: PAGE_SIZE + 1, ...(before ? { before } : {}) });
    const links = rows.slice(0, PAGE_SIZE);
    const last = links.at(-1);
    const csrf = c.get('csrf');
    const values = form?.values ?? EMPTY;
    const errors = form?.errors;
    return sendPage(
      c,
      <Layout title="پیوندهای کوتاه · Links" csrf={csrf} section="/admin/links" notice={noticeOf(c.req.query('notice'))}>
        <h1>پیوندهای کوتاه · Short links</h1>
        <div class="split">
          <section class="card">
            {links.length === 0 ? (
              <p class="muted">هنوز پیوندی نیست · No links yet</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>کد · Code</th>
                    <th>مقصد · Target</th>
                    <th class="num">کلیک · Clicks</th>
                    <th>ساخته · Created</th>
                  </tr>
                </thead>
                <tbody>
                  {links.map((link) => (
                    <tr>
                      <td>
                        <a href={`/admin/links/${link.code}`}>
                          <code>{link.code}</code>
                        </a>
                      </td>
                      <td class="small ltr">{target(link).length > 60 ? `${target(link).slice(0, 60)}…` : target(link)}</td>
                      <td class="num">{link.clicks}</td>
                      <td class="small">
                        <When date={link.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div class="pager">
              {before ? <a href="/admin/links">→ تازه‌ترین‌ها · Newest</a> : null}
              {rows.length > PAGE_SIZE && last ? <a href={`/admin/links?before=${last.createdAt.getTime()}.${last.code}`}>قدیمی‌ترها ← · Older</a> : null}
            </div>
          </section>
          <section>
            <h2>پیوند تازه · New link</h2>
            <form method="post" action="/admin/links" class="card">
              <FormErrors errors={errors} />
              <CsrfField token={csrf} />
              <Field label="نشانی مقصد · Target URL" name="url" errors={errors}>
                <input type="url" dir="ltr" required maxlength={2048} value={values.url} {...control('url', errors)} />
              </Field>
              <Field label="کد دلخواه · Custom code" name="code" errors={errors} hint="خالی بگذارید تا کدی عددی ساخته شود · leave empty for the next numeric code">
                <input type="text" dir="ltr" maxlength={64} value={values.code} {...control('code', errors)} />
              </Field>
              <Field label="نوع تغییر مسیر · Redirect" name="status" errors={errors}>
                <StatusSelect value={values.status} errors={errors} />
              </Field>
              <p>
                <button type="submit">ساختن · Create</button>
              </p>
            </form>
          </section>
        </div>
      </Layout>,
      status,
    );
  }

  async function detailPage(c: PagesContext, link: StoredLink, form?: { values: LinkValues; errors: FieldErrors }, status: 200 | 409 | 422 = 200) {
    const at = now().getTime();
    const days = Array.from({ length: CLICK_DAYS }, (_, i) => new Date(at - (CLICK_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10));
    const stats = await repos.links.clickStats(link.code, { sinceDay: days[0]!, referrers: 10 });
    const perDay = new Map(stats.byDay.map((d) => [d.day, d.clicks]));
    const csrf = c.get('csrf');
    const values = form?.values ?? { url: link.url ?? '', code: link.code, status: String(link.status) };
    const errors = form?.errors;
    return sendPage(
      c,
      <Layout title={`${link.code} · پیوند`} csrf={csrf} section="/admin/links" notice={noticeOf(c.req.query('notice'))}>
        <p>
          <a href="/admin/links">← پیوندها · Links</a>
        </p>
        <h1>
          پیوند کوتاه · Short link <code>{link.code}</code>
        </h1>
        <p class="ltr">
          <a href={shortUrl(link.code)}>{shortUrl(link.code)}</a> → {target(link)}
        </p>
        <div class="grid charts">
          <section class="card">
            <h2>کلیک‌های {CLICK_DAYS} روز گذشته · Clicks, last {CLICK_DAYS} days</h2>
            <p class="muted small">همه‌ی کلیک‌ها · all time: {link.clicks}</p>
            <BarChart
              title={`Clicks per day, last ${CLICK_DAYS} days`}
              bars={days.filter((day) => perDay.has(day)).map((day) => ({ label: day, value: perDay.get(day)! }))}
              empty="در این بازه کلیکی نبوده · No clicks in this period"
            />
          </section>
          <section class="card">
            <h2>ارجاع‌دهنده‌ها · Referrers</h2>
            <BarChart title="Clicks by referring site" bars={stats.referrers.map((r) => ({ label: r.host || '(مستقیم · direct)', value: r.clicks }))} empty="کلیکی ثبت نشده · No clicks yet" />
          </section>
        </div>
        {link.itemId === null ? (
          <form method="post" action={`/admin/links/${link.code}`} class="card">
            <h2>ویرایش · Edit</h2>
            <FormErrors errors={errors} />
            <CsrfField token={csrf} />
            <Field label="نشانی مقصد · Target URL" name="url" errors={errors}>
              <input type="url" dir="ltr" required maxlength={2048} value={values.url} {...control('url', errors)} />
            </Field>
            <Field label="نوع تغییر مسیر · Redirect" name="status" errors={errors}>
              <StatusSelect value={values.status} errors={errors} />
            </Field>
            <p>
              <button type="submit">ذخیره · Save</button>
            </p>
          </form>
        ) : (
          <p class={errors?.['_form'] ? 'notice bad' : 'muted'}>
            این کد پیوند کوتاه یک مطلب است و همراه آن تغییر می‌کند · This is an item's short link; it follows the item: <a href={`/items/${link.itemId}`}>/items/{link.itemId}</a>
          </p>
        )}
        {link.itemId === null ? (
          <ActionButton action={`/admin/links/${link.code}/delete`} csrf={csrf} label="حذف این پیوند · Delete this link" danger confirm={`پیوند ${link.code} حذف شود؟`} />
        ) : null}
      </Layout>,
      status,
    );
  }

  /** An item's own code changes and goes with the item, as in the API (409 there too). */
  const itemOwned = (c: PagesContext, link: StoredLink) => detailPage(c, link, { values: { url: link.url ?? '', code: link.code, status: String(link.status) }, errors: { _form: 'item link' } }, 409);

  app.get('/', (c) => listPage(c));

  app.post('/', async (c) => {
    const form = await readForm(c);
    const values: LinkValues = { url: one(form, 'url'), code: one(form, 'code'), status: one(form, 'status') || '302' };
    const parsed = linkInput.safeParse({ url: values.url, status: wholeNumber(values.status), ...(values.code ? { code: values.code } : {}) });
    if (!parsed.success) return listPage(c, { values, errors: fieldErrors(parsed.error) }, 422);
    try {
      const link = await repos.links.create({ url: parsed.data.url, ...(parsed.data.code ? { code: parsed.data.code } : {}), ...(parsed.data.status ? { status: parsed.data.status } : {}) });
      return seeOther(c, `/admin/links/${link.code}`, 'created');
    } catch (error) {
      if (error instanceof ConflictError) return listPage(c, { values, errors: { code: 'این کد گرفته شده است · This code is taken' } }, 409);
      throw error;
    }
  });

  app.get('/:code', async (c) => detailPage(c, await linkOr404(c.req.param('code'))));

  app.post('/:code', async (c) => {
    const link = await linkOr404(c.req.param('code'));
    if (link.itemId !== null) return itemOwned(c, link);
    const form = await readForm(c);
    const values: LinkValues = { url: one(form, 'url'), code: link.code, status: one(form, 'status') || '302' };
    const parsed = linkPatch.safeParse({ url: values.url, status: wholeNumber(values.status) });
    if (!parsed.success) return detailPage(c, link, { values, errors: fieldErrors(parsed.error) }, 422);
    await repos.links.update(link.code, { ...(parsed.data.url ? { url: parsed.data.url } : {}), ...(parsed.data.status ? { status: parsed.data.status } : {}) });
    return seeOther(c, `/admin/links/${link.code}`, 'saved');
  });

  app.post('/:code/delete', async (c) => {
    const link = await linkOr404(c.req.param('code'));
    if (link.itemId !== null) return itemOwned(c, link);
    await repos.links.remove(link.code);
    return seeOther(c, '/admin/links', 'deleted');
  });

  return app;
}
