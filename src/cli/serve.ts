import { startServer } from '../runtime/node.ts';
import type { Command } from './command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the feeds, short links and admin API on PORT',
  usage: `chapar serve

Migrates the database (CHAPAR_DB), applies the config in CHAPAR_CONFIG_DIR, then serves on
PORT until SIGTERM or SIGINT, when it stops accepting, finishes requests in flight and closes
the database. Configuration comes from the environment (see README).`,
  async run(_args, io) {
    const server = await startServer(io.env, io.out);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void server.close().then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
};
