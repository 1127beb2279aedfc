/**
 * A tiny web site on 127.0.0.1 for HTML-source tests: routes by path, a log of requests
 * with their start/end times and the most requests ever in flight at once.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Site {
  origin: string;
  /** Paths requested, in order (query included). */
  requests: { path: string; headers: IncomingMessage['headers']; at: number }[];
  maxInFlight: number;
  route(path: string, handler: Route): void;
  page(path: string, body: string | Uint8Array, headers?: Record<string, string>): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const routes = new Map<string, Route>();
  let inFlight = 0;
  const site: Site = {
    origin: '',
    requests: [],
    maxInFlight: 0,
    route: (path, handler) => void routes.set(path, handler),
    page: (path, body, headers = { 'content-type': 'text/html; charset=utf-8' }) =>
      routes.set(path, (_req, res) => void res.writeHead(200, headers).end(body)),
    reset() {
      routes.clear();
      site.requests = [];
      site.maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    site.requests.push({ path, headers: req.headers, at: Date.now() });
    inFlight++;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    // Counted out when the answer is written: the client cannot have it before, and the
    // server's own 'finish'/'close' events may come after the client's next request.
    let open = true;
    const done = () => {
      if (open) inFlight--;
      open = false;
    };
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      done();
      return end(...args);
    }) as ServerResponse['end'];
    res.on('close', done);
    // A little latency, so overlapping requests would show in maxInFlight.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const handler = routes.get(new URL(path, 'http://x').pathname);
    if (handler) await handler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return site;
}

export const fixture = (name: string) => readFileSync(new URL(`../../fixtures/html/${name}`, import.meta.url), 'utf8');

/**
 * windows-1256 bytes for `text`, from a table built by decoding 0x80–0xFF. Persian letters
 * the code page lacks are written as Persian sites in that code page write them (ی as ي).
 */
export function encodeWindows1256(text: string): Uint8Array {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  const substitutes: Record<string, string> = { 'ی': 'ي', '۰': '0', '۱': '1', '۲': '2', '۳': '3', '۴': '4', '۵': '5', '۶': '6', '۷': '7', '۸': '8', '۹': '9' };
  const bytes: number[] = [];
  for (const ch of text) {
    const c = substitutes[ch] ?? ch;
    const code = c.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else if (table.has(c)) bytes.push(table.get(c)!);
    else throw new Error(`test: ${JSON.stringify(c)} (U+${code.toString(16)}) has no windows-1256 byte`);
  }
  return Uint8Array.from(bytes);
}

/** What a windows-1256 page decodes back to: `text` with the substitutions the encoder made. */
export function asWindows1256Reads(text: string): string {
  return new TextDecoder('windows-1256').decode(encodeWindows1256(text));
}
