/** @jsxImportSource hono/jsx */
/**
 * Sites without feeds: try a listing page with a preset, see what each field would give on
 * the first articles (nothing saved), then add it as an HTML source.
 */
import { Hono } from 'hono';
import type { AppDeps } from '../../app-types.ts';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { addSource } from '../../ingest/discover.ts';
import { HostGate } from '../../ingest/html/polite.ts';
import { PRESET_NAMES, type PresetName } from '../../ingest/html/presets.ts';
import { previewHtmlSource, type Preview } from '../../ingest/html/preview.ts';
import { RobotsCache } from '../../ingest/html/robots.ts';
import { fetchOptions } from '../../ingest/pipeline.ts';
import { checkUrl, FetchRefusedError } from '../../ingest/ssrf.ts';
import { sourceInput } from '../api/sources.ts';
import { ingestDepsFor } from '../ingest-deps.ts';
import { seeOther, sendPage, type PagesContext, type PagesEnv } from './env.ts';
import { fieldErrors, one, queryForm, readForm, type FormValues } from './forms.ts';
import { CsrfField, Field, FormErrors, Layout, control, type FieldErrors } from './layout.tsx';

const isPreset = (name: string): name is PresetName => (PRESET_NAMES as string[]).includes(name);

function Report({ preview }: { preview: Preview }) {
  return (
    <section class="card">
      <h2>نتیجه · Result</h2>
      <p>
        {preview.ok ? 'همه بخش‌ها پیدا شدند · Every field was found' : 'بعضی بخش‌ها پیدا نشدند · Some fields found nothing'} · {preview.listing.links}{' '}
        پیوند در فهرست · links on the listing page
      </p>
      {preview.problems.length > 0 ? (
        <ul class="field-error">
          {preview.problems.map((p) => (
            <li>
              <code>{p.field}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>بخش · Field</th>
            <th>وضعیت · Status</th>
            <th>نمونه · Sample</th>
          </tr>
        </thead>
        <tbody>
          {preview.fields.map((f) => (
            <tr>
              <td>
                <code>{f.field}</code>
              </td>
              <td>
                {f.status} ({f.found}/{f.pages})
              </td>
              <td class="small">{f.sample ?? f.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>مطالب · Articles</h3>
      <ul>
        {preview.articles.map((a) => (
          <li>
            <span class="badge">{a.status}</span> {a.item ? <strong>{a.item.title}</strong> : null}{' '}
            {a.item?.publishedAt ? <time datetime={a.item.publishedAt}>{a.item.publishedAt}</time> : null}
            {a.item?.categories.length ? ` · ${a.item.categories.join('، ')}` : ''}
            {a.item?.shortCode ? ` · ${a.item.shortCode}` : ''}
            <div class="small ltr">{a.url}</div>
            {a.problems.length ? <div class="small field-error">{a.problems.join('; ')}</div> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function previewPages(deps: AppDeps) {
  const { repos } = deps;
  const { ingest } = ingestDepsFor(deps);
  const gate = new HostGate();
  const robots = new RobotsCache();
  const app = new Hono<PagesEnv>();

  function page(c: PagesContext, values: FormValues, errors: FieldErrors = {}, preview: Preview | null = null, status: 200 | 409 | 422 = 200) {
    const url = one(values, 'url');
    const preset = one(values, 'preset');
    const csrf = c.get('csrf');
    return sendPage(
      c,
      <Layout title="پیش‌نمایش منبع HTML · Preview an HTML source" csrf={csrf} section="/admin/sources">
        <h1>سایت بدون خوراک · Site without a feed</h1>
        <form method="get" action="/admin/sources/preview" class="card">
          <FormErrors errors={errors} />
          <div class="grid">
            <Field label="نشانی صفحهٔ فهرست · Listing page URL" name="url" errors={errors}>
              <input type="url" dir="ltr" required value={url} maxlength={2048} {...control('url', errors)} />
            </Field>
            <Field label="قالب · Preset" name="preset" errors={errors}>
              <select {...control('preset', errors)}>
                {PRESET_NAMES.map((name) => (
                  <option value={name} selected={name === preset}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <p>
            <button type="submit">پیش‌نمایش · Preview</button>
          </p>
        </form>
        {preview ? <Report preview={preview} /> : null}
        {preview?.ok ? (
          <form method="post" action="/admin/sources/preview/add" class="card">
            <CsrfField token={csrf} />
            <input type="hidden" name="url" value={url} />
            <input type="hidden" name="preset" value={preset} />
            <button type="submit">افزودن این منبع · Add this source</button>
          </form>
        ) : null}
      </Layout>,
      status,
    );
  }

  app.get('/', async (c) => {
    const values = queryForm(c);
    const url = one(values, 'url');
    if (!url) return page(c, values);
    const preset = one(values, 'preset');
    const parsed = sourceInput.safeParse({ url, kind: 'html', options: { preset } });
    if (!parsed.success) return page(c, values, fieldErrors(parsed.error, (path) => (path[0] === 'options' ? 'preset' : (path[0] ?? '_form'))), null, 422);
    const fetch = fetchOptions(ingest, deps.now);
    try {
      await checkUrl(new URL(url), fetch);
    } catch (error) {
      if (error instanceof FetchRefusedError) return page(c, values, { url: error.reason }, null, 422);
      throw error;
    }
    const preview = await previewHtmlSource(
      { url, preset: isPreset(preset) ? preset : undefined, selectors: undefined, articles: undefined, charset: null, timeZone: null },
      { fetch, gate, robots, ...(deps.now ? { now: deps.now } : {}) },
    );
    return page(c, values, {}, preview);
  });

  app.post('/add', async (c) => {
    const values = await readForm(c);
    const parsed = sourceInput.safeParse({ url: one(values, 'url'), kind: 'html', options: { preset: one(values, 'preset') } });
    if (!parsed.success) return page(c, values, fieldErrors(parsed.error), null, 422);
    try {
      const source = await addSource(repos, parsed.data, fetchOptions(ingest, deps.now));
      return seeOther(c, `/admin/sources/${source.id}`, 'created');
    } catch (error) {
      if (error instanceof ValidationError) return page(c, values, Object.fromEntries(error.problems.map((p) => [p.field, p.message])), null, 422);
      if (error instanceof ConflictError) return page(c, values, { url: 'این منبع از پیش هست · This source already exists' }, null, 409);
      throw error;
    }
  });

  return app;
}
