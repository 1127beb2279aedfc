import { hashToken, newToken } from '../admin/auth.ts';
import { createRepos } from '../db/repos/index.ts';
import { readEnv } from '../runtime/env.ts';
import { openDatabase } from '../runtime/node.ts';
import { type Command, UsageError } from './command.ts';

export const tokenCommand: Command = {
  name: 'token',
  summary: 'create, list or revoke admin API tokens',
  usage: `chapar token create NAME [--json]   print a new admin token (shown once; only its hash is stored)
chapar token list [--json]          list live tokens (id, name, created, last used)
chapar token revoke ID              revoke a token; calls with it get 401 from then on

Works on the database named by CHAPAR_DB.`,
  async run(args, io) {
    const json = args.includes('--json');
    const [action, arg] = args.filter((a) => a !== '--json');
    if (action !== 'create' && action !== 'list' && action !== 'revoke') throw new UsageError('expected create NAME, list or revoke ID (see --help)');
    if (action === 'create' && !arg?.trim()) throw new UsageError('token create needs a NAME, e.g. chapar token create ci');
    const id = Number(arg);
    if (action === 'revoke' && (!Number.isInteger(id) || id < 1)) throw new UsageError(`token revoke needs a token ID (a whole number), not "${arg ?? ''}"`);
    const database = openDatabase(readEnv(io.env));
    try {
      const repos = createRepos(database);
      if (action === 'create') {
        const token = newToken();
        const info = await repos.tokens.create(arg!.trim(), await hashToken(token));
        io.out(json ? JSON.stringify({ ...info, token }) : token);
        if (!json) io.err(`token ${info.id} "${info.name}" created; it is shown only this once`);
        return 0;
      }
      if (action === 'list') {
        const tokens = await repos.tokens.list();
        if (json) io.out(JSON.stringify(tokens));
        else for (const t of tokens) io.out(`${t.id}\t${t.name}\tcreated ${t.createdAt.toISOString()}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}`);
        return 0;
      }
      if (!(await repos.tokens.revoke(id))) {
        io.err(`chapar token: no live token ${id}`);
        return 1;
      }
      io.out(json ? JSON.stringify({ revoked: id }) : `revoked token ${id}`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
