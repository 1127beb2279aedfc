import { BASE_URL, TOKEN } from './app.ts';

type Fetchable = { request: (url: string, init?: RequestInit) => Response | Promise<Response> };

/** A browser in miniature: a cookie jar, the last page's CSRF token, and an Origin header on posts. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private app: Fetchable,
    private origin = BASE_URL,
  ) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name!);
      else this.cookies.set(name!, value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string) {
    const res = await this.app.request(`${this.origin}${path}`, { headers: { cookie: this.cookieHeader() } });
    this.remember(res);
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.csrf = token[1]!;
    return { res, html };
  }

  async post(path: string, fields: Record<string, string | string[]>, opts: { csrf?: string | null; origin?: string | null } = {}) {
    const body = new URLSearchParams();
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf !== null) body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    const headers: Record<string, string> = { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' };
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (origin !== null) headers.origin = origin;
    const res = await this.app.request(`${this.origin}${path}`, { method: 'POST', headers, body });
    this.remember(res);
    return { res, html: await res.text() };
  }

  async signIn(token = TOKEN, next?: string) {
    await this.get(`/admin/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    return this.post('/admin/login', { token, ...(next ? { next } : {}) });
  }
}
