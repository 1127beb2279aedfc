/** A push's answers come from its writes (RETURNING), not a read after them: on D1 inside workerd. */
import { applyD1Migrations, env, reset } from 'cloudflare:test';
import { beforeEach, describe, it } from 'vitest';
import { openD1 } from '../../src/db/d1.ts';
import { checkPushAnswers } from '../helpers/push-answers.ts';

beforeEach(async () => {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});

describe('push answers on D1', () => {
  it('name each item as stored, whatever its outcome', async () => {
    await checkPushAnswers(openD1(env.DB));
  });
});
