/** A push's answers come from its writes (RETURNING), not a read after them: on better-sqlite3. */
import { describe, it } from 'vitest';
import { openSqlite } from '../../src/db/sqlite.ts';
import { checkPushAnswers } from '../helpers/push-answers.ts';

describe('push answers on better-sqlite3', () => {
  it('name each item as stored, whatever its outcome', async () => {
    const database = openSqlite(':memory:');
    try {
      await checkPushAnswers(database);
    } finally {
      await database.close();
    }
  });
});
