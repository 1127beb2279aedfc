/** Bindings the workers tests see: wrangler.toml's, plus what vitest.config.ts adds. */
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    CHAPAR_BASE_URL: string;
    CHAPAR_WEBSUB_HUBS: string;
    CHAPAR_FETCH_ALLOW_PRIVATE: string;
    CHAPAR_ADMIN_TOKEN: string;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
