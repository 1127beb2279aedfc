/** Runs in workerd before each workers test file: D1 gets the same migrations wrangler applies. */
import { applyD1Migrations, env } from 'cloudflare:test';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
