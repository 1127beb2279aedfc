import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const migrationsDir = fileURLToPath(new URL('./src/db/migrations', import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts'],
          exclude: ['test/workers/**', 'node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        // The same app inside workerd, on local D1 with the drizzle migrations applied
        // (test/workers/setup.ts), the Worker entry as `main` for SELF and the cron handler.
        extends: true,
        plugins: [
          cloudflareTest(async () => ({
            main: './src/runtime/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(migrationsDir),
                CHAPAR_ADMIN_TOKEN: 'workers-admin-token-0123456789',
                CHAPAR_LOG_LEVEL: 'warn',
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          setupFiles: ['test/workers/setup.ts'],
          // sanitize-html is CommonJS all the way down (postcss, nanoid); workerd's module
          // fallback resolves nanoid's require() to its ESM file. Pre-bundling it with esbuild,
          // as wrangler does for the deployed bundle, sidesteps that.
          deps: { optimizer: { ssr: { enabled: true, include: ['sanitize-html'] } } },
          testTimeout: 20_000,
        },
      },
    ],
  },
});
