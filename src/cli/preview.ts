import { FetchRefusedError, checkUrl, resolveWithNodeDns } from '../ingest/ssrf.ts';
import { PRESET_NAMES, type PresetName } from '../ingest/html/presets.ts';
import { DEFAULT_PREVIEW_ARTICLES, MAX_PREVIEW_ARTICLES, previewHtmlSource, type Preview } from '../ingest/html/preview.ts';
import { checkSelectors, FIELDS, type Field, type Selectors } from '../ingest/html/selectors.ts';
import { readEnv } from '../runtime/env.ts';
import { type CliIo, type Command, UsageError } from './command.ts';

const USAGE = `Usage: chapar preview URL [--preset k2|joomla|wordpress] [--select FIELD=CSS]... [options]

Shows what an HTML source (a site without a feed) would give: the article links on the
listing page URL and the first articles read field by field. Nothing is saved.

Fields: ${FIELDS.join(', ')}. "item" finds the article links on the listing page;
the others read each article page. A preset supplies them all; --select overrides one
(repeat it for alternatives, tried in order). "CSS@attr" reads an attribute, e.g.
--select date='time@datetime'.

Options:
  --preset NAME        ${PRESET_NAMES.join(', ')}
  --select FIELD=CSS   a selector for one field
  --articles N         articles to read, 1-${MAX_PREVIEW_ARTICLES} (default ${DEFAULT_PREVIEW_ARTICLES})
  --delay MS           pause between requests to the site (default 1000)
  --charset NAME       charset when the page does not say (e.g. windows-1256)
  --time-zone ZONE     IANA zone for dates without one (Jalali dates: Asia/Tehran)
  --json               print the preview as JSON (as POST /api/v1/sources/preview answers)
  -h, --help           show this help

Fetches obey robots.txt and the same address checks as sources: loopback and private
addresses need CHAPAR_FETCH_ALLOW_PRIVATE=true. Exits 0 when every selector found
something, 1 when not (or the site could not be read), 2 on bad arguments.`;

interface PreviewArgs {
  url: string;
  preset?: PresetName;
  selectors: Selectors;
  articles?: number;
  delayMs?: number;
  charset?: string;
  timeZone?: string;
  json: boolean;
}

export const previewCommand: Command = {
  name: 'preview',
  summary: 'show what an HTML source (site without a feed) would give, saving nothing',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const options = readArgs(args);
    const env = readEnv(io.env);
    const fetch = { allowPrivate: env.CHAPAR_FETCH_ALLOW_PRIVATE, resolve: resolveWithNodeDns };
    try {
      await checkUrl(new URL(options.url), fetch);
    } catch (error) {
      if (!(error instanceof FetchRefusedError)) throw error;
      io.err(error.message);
      return 1;
    }
    const preview = await previewHtmlSource(
      options,
      { fetch },
    );
    if (options.json) io.out(JSON.stringify(preview));
    else for (const line of describe(preview)) io.out(line);
    return preview.ok ? 0 : 1;
  },
};

function readArgs(args: string[]): PreviewArgs {
  const out: PreviewArgs = { url: '', selectors: {}, json: false };
  const selectors: Partial<Record<Field, string[]>> = {};
  const value = (i: number, name: string) => {
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`${name} needs a value; see chapar preview --help`);
    return v;
  };
  const whole = (text: string, name: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') out.json = true;
    else if (arg === '--preset') {
      const name = value(i++, arg);
      if (!(PRESET_NAMES as string[]).includes(name)) throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, not "${name}"`);
      out.preset = name as PresetName;
    } else if (arg === '--select') {
      const spec = value(i++, arg);
      const at = spec.indexOf('=');
      const field = spec.slice(0, at) as Field;
      if (at < 1 || !FIELDS.includes(field)) throw new UsageError(`--select needs FIELD=CSS with FIELD one of ${FIELDS.join(', ')}, not "${spec}"`);
      (selectors[field] ??= []).push(spec.slice(at + 1));
    } else if (arg === '--articles') out.articles = whole(value(i++, arg), arg, 1, MAX_PREVIEW_ARTICLES);
    else if (arg === '--delay') out.delayMs = whole(value(i++, arg), arg, 0, 60_000);
    else if (arg === '--charset') out.charset = value(i++, arg);
    else if (arg === '--time-zone') out.timeZone = value(i++, arg);
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}; see chapar preview --help`);
    else if (out.url === '') out.url = arg;
    else throw new UsageError(`one URL only, got "${out.url}" and "${arg}"`);
  }
  if (out.url === '') throw new UsageError('no URL given; usage: chapar preview URL [--preset k2]');
  if (!/^https?:\/\//i.test(out.url) || !URL.canParse(out.url)) throw new UsageError(`"${out.url}" is not an http(s) URL`);
  out.selectors = selectors;
  const problems = checkSelectors(out.preset, out.selectors, 'select');
  if (problems.length > 0) throw new UsageError(problems.map((p) => `${p.field.replace(/^select\./, '--select ').replace(/\.\d+$/, '')}: ${p.message}`).join('; '));
  return out;
}

/** The preview for a terminal: the listing, one line per field, one block per article. */
function describe(preview: Preview): string[] {
  const { listing, outcome } = preview;
  const lines = [`listing ${listing.url}: ${outcome.kind === 'error' ? outcome.message : `${listing.status ?? ''} ${outcome.kind}`}`];
  if (listing.links > 0) lines.push(`  ${listing.links} article links (${listing.duplicates} duplicates, ${listing.offsite} off-site, ${listing.disallowed} disallowed by robots.txt)`);
  lines.push('fields:');
  const width = Math.max(...preview.fields.map((f) => f.field.length));
  for (const f of preview.fields) {
    const where = f.from ? ` [${f.from}]` : '';
    const counts = f.status === 'unused' ? f.status : `${f.status} ${f.found}/${f.pages}`;
    const detail = f.message ?? (f.sample ? f.sample.slice(0, 100) : '');
    lines.push(`  ${f.field.padEnd(width)}  ${counts}${where}  ${f.matchedWith[0] ?? f.selectors[0] ?? '(none)'}${detail ? `  ${detail}` : ''}`);
  }
  if (preview.articles.length > 0) lines.push('articles:');
  for (const a of preview.articles) {
    lines.push(`  ${a.status.padEnd(10)} ${a.url}`);
    if (a.item) {
      lines.push(`    title:      ${a.item.title}`);
      lines.push(`    published:  ${a.item.publishedAt ?? '(no date)'}`);
      lines.push(`    categories: ${a.item.categories.join(' · ') || '(none)'}`);
      if (a.item.author) lines.push(`    author:     ${a.item.author}`);
      if (a.item.shortCode) lines.push(`    short code: ${a.item.shortCode}`);
      if (a.item.image) lines.push(`    image:      ${a.item.image}`);
      lines.push(`    excerpt:    ${a.item.excerpt.slice(0, 160)}`);
    }
    for (const p of a.problems) lines.push(`    problem:    ${p}`);
  }
  for (const p of preview.problems) lines.push(`problem: ${p.field}: ${p.message}`);
  return lines;
}
