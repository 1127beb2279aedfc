import { ValidationError } from '../core/errors.ts';
import { EnvError } from '../runtime/env.ts';
import { StartError } from '../runtime/node.ts';
import { type CliIo, type Command, UsageError } from './command.ts';
import { backupCommand } from './backup.ts';
import { exportOpmlCommand } from './export-opml.ts';
import { fetchCommand } from './fetch.ts';
import { importOpmlCommand } from './import-opml.ts';
import { migrateCommand } from './migrate.ts';
import { parseCommand } from './parse.ts';
import { previewCommand } from './preview.ts';
import { serveCommand } from './serve.ts';
import { sourcesCommand } from './sources.ts';
import { statsCommand } from './stats.ts';
import { syncCommand } from './sync.ts';
import { tokenCommand } from './token.ts';

export const commands: Command[] = [serveCommand, migrateCommand, syncCommand, tokenCommand, backupCommand, parseCommand, previewCommand, sourcesCommand, fetchCommand, importOpmlCommand, exportOpmlCommand, statsCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'chapar: feed syndication with first-class Persian support',
    '',
    'usage: chapar <command> [options]   (chapar <command> --help for one command)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

const processIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
});

/** Runs one command; known failures become one line on stderr and a non-zero exit. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`chapar: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`chapar ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof EnvError || error instanceof StartError || error instanceof ValidationError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
