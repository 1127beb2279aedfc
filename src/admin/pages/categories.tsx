/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import type { Category } from '../../core/types.ts';
import { categoryInput } from '../schemas.ts';
import { seeOther, sendPage, type PagesContext, type PagesEnv } from './env.ts';
import { fieldErrors, lines, one, readForm, type FormValues } from './forms.ts';
import { ActionButton, CsrfField, Field, FormErrors, Layout, control, noticeOf, type FieldErrors } from './layout.tsx';

/** What the category form shows: the admin's own text, kept as typed when it is sent back. */
interface CategoryValues {
  slug: string;
  name: string;
  aliases: string;
  description: string;
}

const EMPTY: CategoryValues = { slug: '', name: '', aliases: '', description: '' };

const valuesOf = (category: Category): CategoryValues => ({
  slug: category.slug,
  name: category.name,
  aliases: category.aliases.join('\n'),
  description: category.description ?? '',
});

const valuesFrom = (form: FormValues): CategoryValues => ({
  slug: one(form, 'slug'),
  name: one(form, 'name'),
  aliases: form['aliases']?.[0] ?? '',
  description: one(form, 'description'),
});

function parse(values: CategoryValues) {
  const result = categoryInput.safeParse({
    slug: values.slug,
    name: values.name,
    aliases: lines(values.aliases),
    description: values.description || null,
  });
  return result.success ? { ok: true as const, input: result.data } : { ok: false as const, errors: fieldErrors(result.error) };
}

function CategoryForm(props: { action: string; csrf: string; values: CategoryValues; errors?: FieldErrors | undefined; submit: string }) {
  const { values, errors } = props;
  return (
    <form method="post" action={props.action} class="card">
      <FormErrors errors={errors} />
      <CsrfField token={props.csrf} />
      <Field label="نامک · Slug" name="slug" errors={errors} hint="a-z، ۰-۹، - و _ ؛ در نشانی خوراک‌ها و پرس‌وجوی category به کار می‌رود.">
        <input type="text" dir="ltr" required maxlength={64} value={values.slug} {...control('slug', errors)} />
      </Field>
      <Field label="نام · Name" name="name" errors={errors} hint="برچسب‌های خوراک‌های ورودی که با این نام یکی باشند به این دسته می‌روند.">
        <input type="text" required maxlength={200} value={values.name} {...control('name', errors)} />
      </Field>
      <Field label="نام‌های دیگر · Aliases" name="aliases" errors={errors} hint="هر کدام در یک سطر یا جدا با ویرگول.">
        <textarea rows={3} {...control('aliases', errors)}>
          {values.aliases}
        </textarea>
      </Field>
      <Field label="توضیح · Description" name="description" errors={errors}>
        <textarea rows={2} maxlength={2000} {...control('description', errors)}>
          {values.description}
        </textarea>
      </Field>
      <p>
        <button type="submit">{props.submit}</button>
      </p>
    </form>
  );
}

export function categoryPages({ repos }: AppDeps) {
  const app = new Hono<PagesEnv>();

  async function listPage(c: PagesContext, form?: { values: CategoryValues; errors: FieldErrors }, status: 200 | 409 | 422 = 200) {
    const categories = await repos.categories.list();
    const csrf = c.get('csrf');
    return sendPage(
      c,
      <Layout title="دسته‌ها · Categories" csrf={csrf} section="/admin/categories" notice={noticeOf(c.req.query('notice'))}>
        <h1>دسته‌ها · Categories</h1>
        <div class="split">
          <section class="card">
            {categories.length === 0 ? (
              <p class="muted">هنوز دسته‌ای نیست · No categories yet</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>نام · Name</th>
                    <th>نامک · Slug</th>
                    <th>نام‌های دیگر · Aliases</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {categories.map((category) => (
                    <tr>
                      <td>
                        <a href={`/admin/categories/${category.slug}`}>{category.name}</a>
                        {category.description ? <div class="small muted">{category.description}</div> : null}
                      </td>
                      <td>
                        <code>{category.slug}</code>
                      </td>
                      <td>
                        {category.aliases.map((alias) => (
                          <span class="badge">{alias}</span>
                        ))}
                      </td>
                      <td class="actions">
                        <a class="button secondary" href={`/admin/categories/${category.slug}`}>
                          ویرایش · Edit
                        </a>
                        <ActionButton action={`/admin/categories/${category.slug}/delete`} csrf={csrf} label="حذف · Delete" danger confirm={`دستهٔ «${category.name}» حذف شود؟`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section>
            <h2>دستهٔ تازه · New category</h2>
            <CategoryForm action="/admin/categories" csrf={csrf} values={form?.values ?? EMPTY} errors={form?.errors} submit="ساختن · Create" />
          </section>
        </div>
      </Layout>,
      status,
    );
  }

  async function editPage(c: PagesContext, slug: string, form?: { values: CategoryValues; errors: FieldErrors }, status: 200 | 409 | 422 = 200) {
    const found = await repos.categories.bySlugWithOrigin(slug);
    if (!found) throw new NotFoundError(`no category "${slug}"`);
    const csrf = c.get('csrf');
    return sendPage(
      c,
      <Layout title={`${found.value.name} · دسته`} csrf={csrf} section="/admin/categories" notice={noticeOf(c.req.query('notice'))}>
        <p>
          <a href="/admin/categories">← دسته‌ها · Categories</a>
        </p>
        <h1>ویرایش دستهٔ «{found.value.name}» · Edit category</h1>
        {found.origin === 'config' ? (
          <p class="notice warn">این دسته از پرونده‌های پیکربندی آمده است؛ تغییر آن در اینجا در همگام‌سازی بعدی به‌عنوان ناسازگاری گزارش می‌شود. · Declared in the config files: a change here is reported as a conflict on the next sync</p>
        ) : null}
        <CategoryForm action={`/admin/categories/${found.value.slug}`} csrf={csrf} values={form?.values ?? valuesOf(found.value)} errors={form?.errors} submit="ذخیره · Save" />
        <ActionButton action={`/admin/categories/${found.value.slug}/delete`} csrf={csrf} label="حذف این دسته · Delete this category" danger confirm={`دستهٔ «${found.value.name}» حذف شود؟`} />
      </Layout>,
      status,
    );
  }

  app.get('/', (c) => listPage(c));

  app.post('/', async (c) => {
    const values = valuesFrom(await readForm(c));
    const parsed = parse(values);
    if (!parsed.ok) return listPage(c, { values, errors: parsed.errors }, 422);
    try {
      await repos.categories.create(parsed.input, 'api');
    } catch (error) {
      if (error instanceof ConflictError) return listPage(c, { values, errors: { slug: 'این نامک گرفته شده است · This slug is taken' } }, 409);
      throw error;
    }
    return seeOther(c, '/admin/categories', 'created');
  });

  app.get('/:slug', (c) => editPage(c, c.req.param('slug')));

  app.post('/:slug', async (c) => {
    const slug = c.req.param('slug');
    const values = valuesFrom(await readForm(c));
    const parsed = parse(values);
    if (!parsed.ok) return editPage(c, slug, { values, errors: parsed.errors }, 422);
    try {
      const saved = await repos.categories.update(slug, parsed.input, 'api');
      return seeOther(c, `/admin/categories/${saved.slug}`, 'saved');
    } catch (error) {
      if (error instanceof ConflictError) return editPage(c, slug, { values, errors: { slug: 'این نامک گرفته شده است · This slug is taken' } }, 409);
      throw error;
    }
  });

  app.post('/:slug/delete', async (c) => {
    await repos.categories.remove(c.req.param('slug'));
    return seeOther(c, '/admin/categories', 'deleted');
  });

  return app;
}
