/** @jsxImportSource hono/jsx */
/** Category rules: "items whose title contains X belong to category Y"; list, add, change, delete. */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { NotFoundError } from '../../core/errors.ts';
import { MAX_PATTERN_LENGTH, RULE_FIELDS, RULE_OPS } from '../../core/rules.ts';
import type { Category } from '../../core/types.ts';
import type { StoredRule } from '../../db/repos/rules.ts';
import { ruleInput } from '../api/rules.ts';
import { seeOther, sendPage, type PagesContext, type PagesEnv } from './env.ts';
import { fieldErrors, one, readForm, type FormValues } from './forms.ts';
import { ActionButton, CsrfField, Field, FormErrors, Layout, control, noticeOf, type FieldErrors } from './layout.tsx';

const FIELD_NAMES: Record<(typeof RULE_FIELDS)[number], string> = {
  title: 'عنوان · title',
  summary: 'خلاصه · summary',
  content: 'متن · content',
  text: 'هر متنی · any text',
  url: 'نشانی · url',
  author: 'نویسنده · author',
  label: 'برچسب خوراک · feed label',
};

const OP_NAMES: Record<(typeof RULE_OPS)[number], string> = {
  contains: 'شامل · contains',
  regex: 'الگو · regex',
};

interface RuleValues {
  category: string;
  field: string;
  op: string;
  value: string;
}

const EMPTY: RuleValues = { category: '', field: 'title', op: 'contains', value: '' };

const valuesFrom = (form: FormValues): RuleValues => ({ category: one(form, 'category'), field: one(form, 'field'), op: one(form, 'op'), value: one(form, 'value') });
const valuesOf = (rule: StoredRule): RuleValues => ({ category: rule.category, field: rule.field, op: rule.op, value: rule.value });

function RuleForm(props: { action: string; csrf: string; values: RuleValues; errors?: FieldErrors | undefined; categories: Category[]; submit: string }) {
  const { values, errors } = props;
  return (
    <form method="post" action={props.action} class="card">
      <FormErrors errors={errors} />
      <CsrfField token={props.csrf} />
      <div class="grid">
        <Field label="وقتی · When" name="field" errors={errors}>
          <select {...control('field', errors)}>
            {RULE_FIELDS.map((field) => (
              <option value={field} selected={values.field === field}>
                {FIELD_NAMES[field]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="شرط · Test" name="op" errors={errors}>
          <select {...control('op', errors)}>
            {RULE_OPS.map((op) => (
              <option value={op} selected={values.op === op}>
                {OP_NAMES[op]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="متن یا الگو · Text or pattern" name="value" errors={errors} hint="فارسی و عربی یکسان سنجیده می‌شوند (ی/ي، ک/ك، رقم‌ها)؛ در الگو \b مرز واژه در هر خطی است · Persian and Arabic letters and digits match alike; in a pattern, \b is a word boundary in any script">
        <input type="text" required maxlength={MAX_PATTERN_LENGTH} value={values.value} {...control('value', errors)} />
      </Field>
      <Field label="آنگاه در این دسته · Then in category" name="category" errors={errors}>
        <select required {...control('category', errors)}>
          <option value="">—</option>
          {props.categories.map((category) => (
            <option value={category.slug} selected={values.category === category.slug}>
              {category.name}
            </option>
          ))}
        </select>
      </Field>
      <p>
        <button type="submit">{props.submit}</button>
      </p>
    </form>
  );
}

export function rulePages({ repos }: AppDeps) {
  const app = new Hono<PagesEnv>();

  async function ruleOr404(raw: string) {
    const rule = /^[1-9][0-9]{0,15}$/.test(raw) ? await repos.rules.byId(Number(raw)) : null;
    if (!rule) throw new NotFoundError(`no rule ${raw}`);
    return rule;
  }

  /** The form's values as a repository input, or the field errors to show; the API's schema decides. */
  async function parse(values: RuleValues) {
    const parsed = ruleInput.safeParse(values);
    if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
    const ids = await repos.categories.idsBySlugs([parsed.data.category]);
    const categoryId = ids.get(parsed.data.category);
    if (categoryId === undefined) return { ok: false as const, errors: { category: `no category "${parsed.data.category}"` } };
    return { ok: true as const, input: { categoryId, field: parsed.data.field, op: parsed.data.op, value: parsed.data.value } };
  }

  async function listPage(c: PagesContext, form?: { values: RuleValues; errors: FieldErrors }, status: 200 | 422 = 200) {
    const [rules, categories] = await Promise.all([repos.rules.list(), repos.categories.list()]);
    const names = new Map(categories.map((cat) => [cat.slug, cat.name]));
    const csrf = c.get('csrf');
    return sendPage(
      c,
      <Layout title="قاعده‌ها · Rules" csrf={csrf} section="/admin/rules" notice={noticeOf(c.req.query('notice'))}>
        <h1>قاعده‌های دسته‌بندی · Category rules</h1>
        <p class="muted">هر مطلب تازه‌ای که با قاعده‌ای جور باشد به دستهٔ آن می‌رود · New items that match a rule join its category</p>
        <div class="split">
          <section class="card">
            {rules.length === 0 ? (
              <p class="muted">هنوز قاعده‌ای نیست · No rules yet</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>وقتی · When</th>
                    <th>متن یا الگو · Value</th>
                    <th>دسته · Category</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {rules.map((rule) => (
                    <tr>
                      <td class="small">
                        {FIELD_NAMES[rule.field]} · {OP_NAMES[rule.op]}
                      </td>
                      <td>{rule.op === 'regex' ? <code>{rule.value}</code> : rule.value}</td>
                      <td>{names.get(rule.category) ?? rule.category}</td>
                      <td class="actions">
                        <a class="button secondary" href={`/admin/rules/${rule.id}`}>
                          ویرایش · Edit
                        </a>
                        <ActionButton action={`/admin/rules/${rule.id}/delete`} csrf={csrf} label="حذف · Delete" danger confirm="این قاعده حذف شود؟" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section>
            <h2>قاعدهٔ تازه · New rule</h2>
            <RuleForm action="/admin/rules" csrf={csrf} values={form?.values ?? EMPTY} errors={form?.errors} categories={categories} submit="افزودن · Add" />
          </section>
        </div>
      </Layout>,
      status,
    );
  }

  async function editPage(c: PagesContext, rule: StoredRule, form?: { values: RuleValues; errors: FieldErrors }, status: 200 | 422 = 200) {
    const categories = await repos.categories.list();
    const csrf = c.get('csrf');
    return sendPage(
      c,
      <Layout title="ویرایش قاعده · Edit rule" csrf={csrf} section="/admin/rules" notice={noticeOf(c.req.query('notice'))}>
        <p>
          <a href="/admin/rules">← قاعده‌ها · Rules</a>
        </p>
        <h1>ویرایش قاعده · Edit rule</h1>
        <RuleForm action={`/admin/rules/${rule.id}`} csrf={csrf} values={form?.values ?? valuesOf(rule)} errors={form?.errors} categories={categories} submit="ذخیره · Save" />
        <ActionButton action={`/admin/rules/${rule.id}/delete`} csrf={csrf} label="حذف این قاعده · Delete this rule" danger confirm="این قاعده حذف شود؟" />
      </Layout>,
      status,
    );
  }

  app.get('/', (c) => listPage(c));

  app.post('/', async (c) => {
    const values = valuesFrom(await readForm(c));
    const parsed = await parse(values);
    if (!parsed.ok) return listPage(c, { values, errors: parsed.errors }, 422);
    await repos.rules.create(parsed.input, 'api');
    return seeOther(c, '/admin/rules', 'created');
  });

  app.get('/:id', async (c) => editPage(c, await ruleOr404(c.req.param('id'))));

  app.post('/:id', async (c) => {
    const rule = await ruleOr404(c.req.param('id'));
    const values = valuesFrom(await readForm(c));
    const parsed = await parse(values);
    if (!parsed.ok) return editPage(c, rule, { values, errors: parsed.errors }, 422);
    await repos.rules.update(rule.id, parsed.input);
    return seeOther(c, `/admin/rules/${rule.id}`, 'saved');
  });

  app.post('/:id/delete', async (c) => {
    const rule = await ruleOr404(c.req.param('id'));
    await repos.rules.remove(rule.id);
    return seeOther(c, '/admin/rules', 'deleted');
  });

  return app;
}
