import { readEnv } from '../runtime/env.ts';
import { openDatabase } from '../runtime/node.ts';
import type { Command } from './command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or upgrade the database schema in CHAPAR_DB',
  usage: `chapar migrate

Applies pending migrations to the SQLite database named by CHAPAR_DB (default ./data/chapar.db).
serve does this too; run it alone before a deploy or to create an empty database.`,
  async run(_args, io) {
    const database = openDatabase(readEnv(io.env));
    await database.close();
    io.out('migrated');
    return 0;
  },
};
