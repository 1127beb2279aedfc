/** A loopback upstream for ingest tests: node:http on 127.0.0.1, port 0. No other network. */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface Upstream {
  origin: string;
  /** Every request so far, oldest first. */
  seen: Seen[];
  route(path: string, handler: Handler): string;
  /** Answers `path` with a fixed response; returns its URL. */
  serve(path: string, status: number, headers?: Record<string, string>, body?: string | Uint8Array): string;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const routes = new Map<string, Handler>();
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (!handler) return void res.writeHead(404).end('no such route');
    Promise.resolve(handler(req, res)).catch((error) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const route = (path: string, handler: Handler): string => {
    routes.set(path, handler);
    return `${origin}${path}`;
  };
  return {
    origin,
    seen,
    route,
    serve: (path, status, headers = {}, body = '') => route(path, (_req, res) => void res.writeHead(status, headers).end(body)),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A windows-1256 encoder, built from the platform's decoder over 0x80–0xFF. */
export function windows1256(text: string): Uint8Array {
  const decoder = new TextDecoder('windows-1256');
  const byChar = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) byChar.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Uint8Array.from([...text], (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x80) return code;
    const byte = byChar.get(ch);
    if (byte === undefined) throw new Error(`test: ${ch} (U+${code.toString(16)}) has no windows-1256 byte`);
    return byte;
  });
}

export interface TestItem {
  title: string;
  guid?: string;
  link?: string;
  description?: string;
  pubDate?: string;
  categories?: string[];
}

/** A small RSS 2.0 document. */
export function rss(items: TestItem[], channel: { title?: string; link?: string; ttl?: number; encoding?: string; lastBuildDate?: string } = {}): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const item = (i: TestItem) =>
    [
      '<item>',
      `<title>${esc(i.title)}</title>`,
      i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : '',
      i.link ? `<link>${esc(i.link)}</link>` : '',
      i.description ? `<description>${esc(i.description)}</description>` : '',
      i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : '',
      ...(i.categories ?? []).map((c) => `<category>${esc(c)}</category>`),
      '</item>',
    ].join('');
  return [
    `<?xml version="1.0"${channel.encoding ? ` encoding="${channel.encoding}"` : ''}?>`,
    '<rss version="2.0"><channel>',
    `<title>${esc(channel.title ?? 'خبرگزاری آزمایشی')}</title>`,
    `<link>${channel.link ?? 'https://news.example/'}</link>`,
    channel.ttl ? `<ttl>${channel.ttl}</ttl>` : '',
    channel.lastBuildDate ? `<lastBuildDate>${channel.lastBuildDate}</lastBuildDate>` : '',
    ...items.map(item),
    '</channel></rss>',
  ].join('\n');
}
