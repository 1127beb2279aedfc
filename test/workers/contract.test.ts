/**
 * The contract suite inside workerd: the Worker entry (bindings check, bootstrap, D1) with a
 * fresh local D1 per test, migrated like `wrangler d1 migrations apply` does.
 */
import { applyD1Migrations, createExecutionContext, env, reset, waitOnExecutionContext } from 'cloudflare:test';
import { createWorker } from '../../src/runtime/worker.ts';
import { BASE_URL, contractSuite, TOKEN } from '../contract/suite.ts';

contractSuite(async () => {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  const worker = createWorker({ config: [] });
  const workerEnv = { ...env, CHAPAR_ADMIN_TOKEN: TOKEN, CHAPAR_BASE_URL: BASE_URL };
  return {
    async fetch(request) {
      const ctx = createExecutionContext();
      const response = await worker.fetch(request, workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    },
    close: async () => {},
  };
});
