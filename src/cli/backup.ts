import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupSqlite } from '../db/sqlite.ts';
import { readEnv } from '../runtime/env.ts';
import { type Command, UsageError } from './command.ts';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write a consistent copy of the database to FILE, even while serving',
  usage: `chapar backup FILE [--force]

Copies the SQLite database named by CHAPAR_DB to FILE with SQLite's online backup, which is
safe while the server is running. Refuses to overwrite FILE unless --force is given.
Restore by stopping the server and pointing CHAPAR_DB at the copy.`,
  async run(args, io) {
    const force = args.includes('--force');
    const [file, ...rest] = args.filter((a) => a !== '--force');
    if (!file || rest.length > 0) throw new UsageError('expected one FILE to write the copy to');
    const env = readEnv(io.env);
    if (env.CHAPAR_DB === ':memory:') throw new UsageError('CHAPAR_DB=:memory: has nothing on disk to back up');
    const source = resolve(io.cwd, env.CHAPAR_DB);
    const destination = resolve(io.cwd, file);
    if (!existsSync(source)) {
      io.err(`chapar backup: CHAPAR_DB=${JSON.stringify(env.CHAPAR_DB)} does not exist`);
      return 1;
    }
    if (existsSync(destination) && !force) {
      io.err(`chapar backup: ${file} exists; pass --force to overwrite it`);
      return 1;
    }
    const { totalPages } = await backupSqlite(source, destination);
    io.out(`backed up ${totalPages} pages to ${destination}`);
    return 0;
  },
};
