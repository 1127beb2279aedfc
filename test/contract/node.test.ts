/** The contract suite on Node: createApp over better-sqlite3, as src/runtime/node.ts builds it. */
import { hashToken } from '../../src/admin/auth.ts';
import { createApp } from '../../src/app.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { BASE_URL, contractSuite, TOKEN } from './suite.ts';

contractSuite(async () => {
  const database = openSqlite(':memory:');
  const repos = createRepos(database);
  await repos.tokens.ensure('contract', await hashToken(TOKEN));
  const app = createApp({ repos, config: { baseUrl: BASE_URL, websubHubs: [], version: 'test' } });
  return { fetch: async (request) => app.fetch(request), close: () => database.close() };
});
