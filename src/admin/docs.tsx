/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-types.ts';
import { openApiDocument, operations } from './openapi.ts';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f}
h2{margin-top:2rem;border-bottom:1px solid #ddd}details{margin:.5rem 0;border:1px solid #ddd;border-radius:.4rem;padding:.4rem .8rem}
summary{cursor:pointer}code,pre{font-size:.85rem}pre{background:#f5f5f2;padding:.6rem;overflow:auto;border-radius:.3rem}
.m{display:inline-block;min-width:4.2rem;font-weight:600;text-transform:uppercase}.get{color:#0b7a3b}.post{color:#0b57d0}.patch{color:#a05a00}.delete{color:#b3261e}`;

/** The OpenAPI document, public (it holds no secrets), and a server-rendered page of it: no CDN, no script. */
export function apiDocs(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const document = () => openApiDocument(deps.config.baseUrl, deps.config.version);

  app.get('/openapi.json', (c) => c.json(document()));

  app.get('/docs', (c) => {
    const doc = document() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, unknown> }>> };
    const tags = [...new Set(operations().map((o) => o.tag))];
    return c.html(
      '<!doctype html>' +
        (
          <html lang="en">
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>Chapar admin API</title>
              <style>{STYLE}</style>
            </head>
            <body>
              <h1>Chapar admin API</h1>
              <p>
                Every call needs <code>Authorization: Bearer &lt;token&gt;</code>. Errors are RFC 9457 problem documents. Machine-readable: <a href="openapi.json">openapi.json</a>.
              </p>
              {tags.map((tag) => (
                <section>
                  <h2>{tag}</h2>
                  {operations()
                    .filter((o) => o.tag === tag)
                    .map((o) => {
                      const body = doc.paths[o.path]?.[o.method]?.requestBody?.content['application/json']?.schema;
                      return (
                        <details id={`${o.method}-${o.path}`}>
                          <summary>
                            <span class={`m ${o.method}`}>{o.method}</span> <code>/api/v1{o.path}</code> {o.summary}
                          </summary>
                          {o.query ? (
                            <ul>
                              {Object.entries(o.query).map(([name, q]) => (
                                <li>
                                  <code>{name}</code>: {q.description}
                                </li>
                              ))}
                            </ul>
                          ) : null}
                          {body ? (
                            <>
                              <p>Request body</p>
                              <pre>{JSON.stringify(body, null, 2)}</pre>
                            </>
                          ) : null}
                          <p>Success: {o.status}</p>
                        </details>
                      );
                    })}
                </section>
              ))}
            </body>
          </html>
        ),
    );
  });

  return app;
}
