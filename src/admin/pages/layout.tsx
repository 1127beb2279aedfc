/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { formatJalali } from '../../core/jalali.ts';
import { ASSETS } from './assets.ts';

export const NAV = [
  ['/admin', 'داشبورد', 'Dashboard'],
  ['/admin/categories', 'دسته‌ها', 'Categories'],
  ['/admin/feeds', 'خوراک‌ها', 'Feeds'],
  ['/admin/items', 'مطالب', 'Items'],
  ['/admin/sources', 'منبع‌ها', 'Sources'],
  ['/admin/rules', 'قاعده‌ها', 'Rules'],
  ['/admin/links', 'پیوندهای کوتاه', 'Links'],
] as const;

export type Section = (typeof NAV)[number][0];

/** Messages a redirect may ask for by key, so no text from the query string reaches a page. */
export const NOTICES = {
  created: 'ساخته شد · Created',
  saved: 'ذخیره شد · Saved',
  deleted: 'حذف شد · Deleted',
  fetched: 'واکشی انجام شد · Fetched',
  'signed-out': 'از حساب خارج شدید · Signed out',
} as const;

export type NoticeKey = keyof typeof NOTICES;
export const noticeOf = (key: string | undefined) => (key && key in NOTICES ? NOTICES[key as NoticeKey] : undefined);

export interface LayoutProps {
  title: string;
  /** Present once signed in: the nav and the sign-out form need it. */
  csrf?: string | undefined;
  section?: Section | undefined;
  notice?: string | undefined;
  children?: Child;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="fa" dir="rtl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · مدیریت چاپار`}</title>
        {/* No favicon request: the public site owns /favicon.ico. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={ASSETS.css} />
        <script src={ASSETS.js} defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/admin">
            چاپار <span class="small">· Chapar admin</span>
          </a>
          {props.csrf ? (
            <>
              <nav aria-label="بخش‌ها · Sections">
                {NAV.map(([href, fa, en]) => (
                  <a href={href} title={en} aria-current={props.section === href ? 'page' : undefined}>
                    {fa}
                  </a>
                ))}
              </nav>
              <form method="post" action="/admin/logout">
                <input type="hidden" name="_csrf" value={props.csrf} />
                <button type="submit">خروج · Sign out</button>
              </form>
            </>
          ) : null}
        </header>
        <main>
          {props.notice ? (
            <p class="notice ok" role="status">
              {props.notice}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export type FieldErrors = Record<string, string>;

/** A labelled form control with its error message tied to it for screen readers. */
export function Field(props: { label: string; name: string; errors?: FieldErrors | undefined; hint?: Child; children: Child }) {
  const error = props.errors?.[props.name];
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      {props.children}
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {error ? (
        <p class="field-error" id={`${props.name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Attributes for a control inside <Field>: id, name and the invalid state. */
export const control = (name: string, errors?: FieldErrors) => ({
  id: name,
  name,
  'aria-invalid': errors?.[name] ? 'true' : undefined,
  'aria-describedby': errors?.[name] ? `${name}-error` : undefined,
});

export function FormErrors({ errors }: { errors?: FieldErrors | undefined }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  const general = errors['_form'];
  return (
    <div class="notice bad" role="alert">
      {general ?? 'فرم خطا دارد؛ موارد مشخص‌شده را اصلاح کنید · The form has errors; fix the marked fields'}
    </div>
  );
}

/** Category checkboxes (`name="categories"`) with the field's error; `children` adds controls under them. */
export function CategoryChecks(props: { legend: string; categories: { slug: string; name: string }[]; selected: string[]; errors?: FieldErrors | undefined; children?: Child }) {
  const error = props.errors?.['categories'];
  return (
    <fieldset aria-describedby={error ? 'categories-error' : undefined}>
      <legend>{props.legend}</legend>
      {props.categories.length === 0 ? <p class="muted small">هنوز دسته‌ای نیست · No categories yet</p> : null}
      {props.categories.map((category) => (
        <label class="inline">
          <input type="checkbox" name="categories" value={category.slug} checked={props.selected.includes(category.slug)} />
          {category.name}
        </label>
      ))}
      {props.children}
      {error ? (
        <p class="field-error" id="categories-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** A one-button POST form, e.g. delete; data-confirm asks first when JavaScript runs. */
export function ActionButton(props: { action: string; csrf: string; label: string; danger?: boolean; confirm?: string }) {
  return (
    <form method="post" action={props.action} data-confirm={props.confirm}>
      <CsrfField token={props.csrf} />
      <button type="submit" class={props.danger ? 'danger' : 'secondary'}>
        {props.label}
      </button>
    </form>
  );
}

export function When({ date }: { date: Date | null | undefined }) {
  if (!date) return <span class="muted">—</span>;
  const iso = date.toISOString();
  return (
    <time datetime={iso} title={`${iso.slice(0, 16).replace('T', ' ')} UTC`}>
      {formatJalali(date)}
    </time>
  );
}
