import { readEnv } from '../runtime/env.ts';
import { openDatabase, prepare } from '../runtime/node.ts';
import type { Command } from './command.ts';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'apply the config files in CHAPAR_CONFIG_DIR to the database',
  usage: `chapar sync [--json]

Applies categories, sources, feeds and items declared in CHAPAR_CONFIG_DIR (default ./feeds).
Idempotent: a second run changes nothing. Objects changed through the API are reported as
conflicts and left alone. serve runs this at every start.`,
  async run(args, io) {
    const env = readEnv(io.env);
    const database = openDatabase(env);
    try {
      const { report } = await prepare(env, database);
      if (args.includes('--json')) io.out(JSON.stringify(report));
      else {
        io.out(`created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}; items: ${report.items.new} new, ${report.items.updated} updated, ${report.items.unchanged} unchanged`);
        for (const conflict of report.conflicts) io.err(`conflict: ${conflict}`);
      }
      return 0;
    } finally {
      await database.close();
    }
  },
};
