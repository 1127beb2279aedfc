/**
 * The admin pages' only stylesheet and script, served from code (no CDN, no build step) under
 * content-hashed names so they can be cached for a year. The CSP allows nothing inline.
 */
import { Hono } from 'hono';
import { hashText } from '../../core/hash.ts';

const CSS = `
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--paper:#fff;--bg:#f6f6f3;--accent:#0b57d0;--accent-ink:#fff;--bad:#b3261e;--bad-bg:#fdecea;--ok:#146c2e;--ok-bg:#e6f4ea;--warn:#8a5a00;--warn-bg:#fff4d6;color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font-family:Vazirmatn,Tahoma,"Segoe UI",system-ui,sans-serif;line-height:1.7;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
header.top{background:#15202b;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1.25rem}
header.top .brand{font-weight:700;font-size:1.1rem;color:#fff;text-decoration:none;margin-inline-end:.5rem}
header.top nav{display:flex;flex-wrap:wrap;gap:.25rem .9rem;flex:1}
header.top nav a{color:#cfe0ff;text-decoration:none;padding:.15rem 0;border-bottom:2px solid transparent}
header.top nav a[aria-current=page]{color:#fff;border-bottom-color:#8ab4f8}
header.top form{margin:0}
header.top button{background:transparent;color:#cfe0ff;border:1px solid #5f7387;padding:.15rem .7rem}
main{max-width:72rem;margin:1.25rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}.card>h2:first-child{margin-top:0}
section.card,form.card,div.card{background:var(--paper);border:1px solid var(--line);border-radius:.6rem;padding:1rem 1.25rem;margin:0 0 1.25rem}
.grid{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr))}
.grid.charts{grid-template-columns:repeat(auto-fit,minmax(28rem,1fr))}
table{width:100%;border-collapse:collapse;background:var(--paper)}
th,td{text-align:start;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.85rem}
td.num,th.num{text-align:end;font-variant-numeric:tabular-nums}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.actions form{margin:0}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
label.inline{display:inline-flex;align-items:center;gap:.35rem;font-weight:400;margin:.1rem 0;margin-inline-end:1rem}
.hint{color:var(--muted);font-size:.85rem;margin:.1rem 0}
input[type=text],input[type=url],input[type=search],input[type=password],input[type=number],select,textarea{width:100%;max-width:36rem;font:inherit;padding:.4rem .55rem;border:1px solid #b0b3b8;border-radius:.4rem;background:#fff}
textarea{min-height:4.5rem}
input[dir=ltr],textarea[dir=ltr]{text-align:left}
input:focus-visible,select:focus-visible,textarea:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #8ab4f8;outline-offset:1px}
fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.5rem 1rem;margin:.75rem 0}
legend{font-weight:600;padding:0 .35rem}
button,.button{font:inherit;cursor:pointer;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);padding:.35rem .95rem;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
.field-error{color:var(--bad);font-size:.9rem;margin:.15rem 0}
[aria-invalid=true]{border-color:var(--bad)!important;background:var(--bad-bg)!important}
.notice{border-radius:.5rem;padding:.6rem 1rem;margin:0 0 1rem;border:1px solid}
.notice.ok{background:var(--ok-bg);border-color:#a8d5b5;color:var(--ok)}
.notice.bad{background:var(--bad-bg);border-color:#f1b5b0;color:var(--bad)}
.notice.warn{background:var(--warn-bg);border-color:#f0d58c;color:var(--warn)}
.muted{color:var(--muted)}.small{font-size:.85rem}
.ltr{direction:ltr;unicode-bidi:isolate}
code{direction:ltr;unicode-bidi:isolate;font-size:.85rem;background:#f0f0ec;padding:.05rem .3rem;border-radius:.25rem}
.badge{display:inline-block;font-size:.78rem;padding:0 .45rem;border-radius:1rem;background:#e8eaed;color:#3c4043;margin-inline-end:.25rem}
.badge.bad{background:var(--bad-bg);color:var(--bad)}.badge.ok{background:var(--ok-bg);color:var(--ok)}
ol.preview{list-style:none;padding:0;margin:0}
ol.preview li{border-bottom:1px solid var(--line);padding:.45rem 0}
ol.preview li:last-child{border-bottom:0}
#preview[aria-busy=true]{opacity:.55}
svg.chart{width:100%;max-width:40rem;height:auto;display:block}
svg.chart .bar{fill:#4c8bf5}svg.chart .bar.bad{fill:#e8716a}svg.chart .track{fill:#eef1f5}
svg.chart text{font-family:inherit;font-size:15px;fill:#3c4043}
svg.chart text.value{fill:#1d1d1f;font-weight:600}
.login{max-width:26rem;margin:4rem auto}
.split{display:grid;gap:1.25rem;grid-template-columns:minmax(0,1fr) minmax(0,1fr);align-items:start}
.split #preview-title{margin-top:0}
@media (max-width:56rem){.split{grid-template-columns:1fr}}
.pager{display:flex;gap:1rem;margin:1rem 0}
`;

const JS = `// Chapar admin: progressive enhancement only; every page works without this file.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  var form = document.querySelector('form[data-preview]');
  var target = document.getElementById('preview');
  if (!form || !target || !window.fetch) return;
  var timer = 0;
  var latest = 0;
  function refresh() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === 'string' && name !== '_csrf' && name !== 'intent') params.append(name, value);
    });
    var mine = ++latest;
    target.setAttribute('aria-busy', 'true');
    fetch(form.getAttribute('data-preview') + '?' + params.toString(), { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) { if (mine === latest && html !== null) target.innerHTML = html; })
      .catch(function () {})
      .then(function () { if (mine === latest) target.removeAttribute('aria-busy'); });
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
})();
`;

const versioned = (name: string, ext: string, body: string) => `/admin/assets/${name}.${hashText(body)}.${ext}`;

export const ASSETS = {
  css: versioned('admin', 'css', CSS),
  js: versioned('admin', 'js', JS),
};

export function assetRoutes() {
  const app = new Hono();
  const serve = (body: string, type: string) => () =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' } });
  app.get(ASSETS.css.slice('/admin'.length), serve(CSS, 'text/css; charset=utf-8'));
  app.get(ASSETS.js.slice('/admin'.length), serve(JS, 'text/javascript; charset=utf-8'));
  return app;
}
