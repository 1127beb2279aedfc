/**
 * What an HTML source would give, without storing anything: the listing's links and the
 * first few articles read exactly as a fetch reads them. Used by the admin API and the CLI.
 */
import type { RawItem } from '../prepare.ts';
import { htmlToText, sanitizeHtml } from '../sanitize.ts';
import { crawl, type CrawlDeps, type HtmlOutcome } from './crawl.ts';
import type { PresetName } from './presets.ts';
import type { HtmlReport } from './report.ts';
import { resolveSelectors, type Selectors } from './selectors.ts';
import { DEFAULT_DELAY_MS } from './options.ts';

export const DEFAULT_PREVIEW_ARTICLES = 3;
export const MAX_PREVIEW_ARTICLES = 10;
const MAX_LINKS_SHOWN = 50;
const EXCERPT_CHARS = 300;

export interface PreviewRequest {
  url: string;
  preset?: PresetName | undefined;
  selectors?: Selectors | undefined;
  articles?: number | undefined;
  charset?: string | null;
  timeZone?: string | null;
  delayMs?: number;
}

export interface PreviewItem {
  title: string;
  url: string;
  publishedAt: string | null;
  author: string | null;
  categories: string[];
  shortCode: string | null;
  image: string | null;
  excerpt: string;
  /** The sanitised body as it would be stored. */
  content: string;
}

export interface PreviewArticle {
  url: string;
  status: HtmlReport['articles'][number]['status'];
  problems: string[];
  item: PreviewItem | null;
}

export interface Preview {
  url: string;
  preset: PresetName | null;
  /** True when every selector found something and every page could be read. */
  ok: boolean;
  outcome: HtmlOutcome;
  listing: HtmlReport['listing'] & { articleLinks: string[] };
  fields: HtmlReport['fields'];
  articles: PreviewArticle[];
  problems: HtmlReport['problems'];
}

/** Nothing is known to a preview: it reads the first articles whether stored or not. */
export async function previewHtmlSource(req: PreviewRequest, deps: Omit<CrawlDeps, 'known'>): Promise<Preview> {
  const selectors = resolveSelectors(req.preset, req.selectors);
  const result = await crawl(
    {
      url: req.url,
      settings: { preset: req.preset ?? null, selectors, maxNewArticles: 0, delayMs: req.delayMs ?? DEFAULT_DELAY_MS, concurrency: 1 },
      charset: req.charset ?? null,
      timeZone: req.timeZone ?? null,
      limit: Math.min(req.articles ?? DEFAULT_PREVIEW_ARTICLES, MAX_PREVIEW_ARTICLES),
    },
    deps,
  );
  const { report } = result;
  return {
    url: req.url,
    preset: req.preset ?? null,
    ok: report.ok,
    outcome: result.outcome,
    listing: { ...report.listing, articleLinks: result.links.slice(0, MAX_LINKS_SHOWN) },
    fields: report.fields,
    articles: result.articles.map((a) => ({ url: a.url, status: a.status, problems: a.problems, item: a.extract?.item ? previewItem(a.extract.item) : null })),
    problems: report.problems,
  };
}

function previewItem(item: RawItem): PreviewItem {
  const url = item.url ?? '';
  const content = sanitizeHtml(item.content ?? '', url).trim();
  const text = htmlToText(content);
  return {
    title: item.title ?? '',
    url,
    publishedAt: item.publishedAt?.toISOString() ?? null,
    author: item.author ?? null,
    categories: item.labels ?? [],
    shortCode: item.shortCode ?? null,
    image: item.enclosures?.[0]?.url ?? null,
    excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text,
    content,
  };
}
