/**
 * The HTML views' stylesheet and script, served from our own origin so the pages' CSP can
 * forbid inline code. URLs carry a content hash, so browsers may keep them for a year.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-types.ts';
import { hashText } from '../core/hash.ts';
import { etagMatches } from './conditional.ts';

const CSS = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fcfcfa;--card:#fff;--line:#ddd;--muted:#666;--link:#0b57d0;--code:#f2f2ee}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e6;--bg:#161618;--card:#1f1f22;--line:#3a3a3e;--muted:#a0a0a6;--link:#8ab4f8;--code:#2a2a2e}}
*{box-sizing:border-box}
body{font-family:Vazirmatn,Tahoma,"Segoe UI",system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;line-height:1.8;color:var(--fg);background:var(--bg)}
header.site{display:flex;gap:1rem;align-items:baseline;border-block-end:1px solid var(--line);margin-block-end:1rem}
header.site a{font-weight:bold;text-decoration:none}
h1{font-size:1.6rem;margin-block:.5rem}h2{font-size:1.2rem;margin:0}
a{color:var(--link)}
ul.feeds,ol.items{list-style:none;padding:0}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin-block:.75rem;background:var(--card)}
.subscribe{list-style:none;padding:0;margin:.5rem 0 0;display:grid;gap:.35rem}
.subscribe li{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.subscribe a{min-width:5.5rem;font-size:.9rem}
.subscribe input{flex:1 1 16rem;font:inherit;font-size:.8rem;direction:ltr;padding:.15rem .4rem;border:1px solid var(--line);border-radius:.25rem;background:var(--code);color:var(--fg)}
button{font:inherit;font-size:.8rem;padding:.1rem .6rem;border:1px solid var(--line);border-radius:.25rem;background:var(--card);color:var(--fg);cursor:pointer}
form.search{display:flex;gap:.5rem;margin-block:1rem}
form.search input[type=search]{flex:1;font:inherit;padding:.3rem .6rem;border:1px solid var(--line);border-radius:.35rem;background:var(--card);color:var(--fg)}
.meta{color:var(--muted);font-size:.85rem}
.notice{border:1px solid #d93025;border-radius:.5rem;padding:.5rem 1rem}
nav.pager{display:flex;justify-content:space-between;margin-block:1rem}
code{direction:ltr;unicode-bidi:embed;font-size:.85rem;background:var(--code);padding:.1rem .3rem;border-radius:.25rem}
article img,article video{max-width:100%;height:auto}
`;

/** Copy buttons: hidden until this script runs, so a page without it shows only the URLs. */
const JS = `
document.querySelectorAll('button[data-copy]').forEach(function (button) { button.hidden = false; });
document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('button[data-copy]');
  if (!button) return;
  var text = button.getAttribute('data-copy');
  var label = button.textContent;
  var done = function () { button.textContent = button.getAttribute('data-copied') || 'OK'; setTimeout(function () { button.textContent = label; }, 1500); };
  var fallback = function () {
    var input = button.parentElement && button.parentElement.querySelector('input');
    if (input) { input.focus(); input.select(); try { document.execCommand('copy'); done(); } catch (e) {} }
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback); else fallback();
});
document.addEventListener('focusin', function (event) {
  if (event.target.matches && event.target.matches('input[readonly]')) event.target.select();
});
`;

/** A courier's envelope with feed waves: the pages' icon and the feeds' Atom/JSON icon. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#0b57d0"/><path d="M12 20h40v26H12z" fill="#fff"/><path d="M12 20l20 15 20-15" fill="none" stroke="#0b57d0" stroke-width="3"/><circle cx="46" cy="42" r="3" fill="#f29900"/></svg>`;

const ASSETS = {
  'chapar.css': { body: CSS.trim(), type: 'text/css; charset=utf-8' },
  'chapar.js': { body: JS.trim(), type: 'text/javascript; charset=utf-8' },
  'chapar.svg': { body: SVG, type: 'image/svg+xml' },
} as const;

type AssetName = keyof typeof ASSETS;

const versions = Object.fromEntries(Object.entries(ASSETS).map(([name, asset]) => [name, hashText(asset.body)])) as Record<AssetName, string>;

/** The URL of an asset, versioned by its content. */
export const assetUrl = (name: AssetName) => `/assets/${name}?v=${versions[name]}`;

export function assetRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/assets/:name{chapar\\.(?:css|js|svg)}', (c) => {
    const name = c.req.param('name') as AssetName;
    const asset = ASSETS[name];
    const etag = `"${versions[name]}"`;
    const current = c.req.query('v') === versions[name];
    const headers = {
      ETag: etag,
      'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    };
    if (etagMatches(c.req.header('if-none-match') ?? '', etag)) return c.body(null, 304, headers);
    return c.body(asset.body, 200, { ...headers, 'Content-Type': asset.type });
  });
  return app;
}
