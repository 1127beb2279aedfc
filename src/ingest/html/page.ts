/**
 * One page of an HTML source, fetched through the feed fetcher (same SSRF guard, limits,
 * conditional GET, redirects) and decoded to text (windows-1256, `<meta charset>`).
 */
import { decodeBody } from '../decode.ts';
import { fetchFeed, type FetchOptions, type FetchRequest, type FetchResult } from '../fetch.ts';

type Fetched = Extract<FetchResult, { kind: 'ok' }>;

export type PageResult =
  | (Omit<Fetched, 'bytes'> & { text: string; encoding: string })
  | Exclude<FetchResult, { kind: 'ok' }>;

/** Content types that are surely not a page: an article link to a PDF or an image. */
const NOT_HTML = /^(?:image|audio|video|font)\/|^application\/(?:pdf|zip|octet-stream|msword|vnd\.)/i;

export async function fetchPage(req: FetchRequest, fetch: FetchOptions, charset?: string | null): Promise<PageResult> {
  const result = await fetchFeed(req, fetch);
  if (result.kind !== 'ok') return result;
  const { bytes, ...rest } = result;
  if (result.contentType && NOT_HTML.test(result.contentType)) {
    return { kind: 'error', status: result.status, url: result.url, message: `html: ${result.url} is ${result.contentType.split(';')[0]}, not a web page` };
  }
  const { text, encoding } = decodeBody(bytes, { contentType: result.contentType, fallbackCharset: charset ?? null });
  return { ...rest, text, encoding };
}
