import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportOpml } from '../ingest/opml.ts';
import { type Command, UsageError } from './command.ts';
import { readOptions, withIngest } from './sources.ts';

export const exportOpmlCommand: Command = {
  name: 'export-opml',
  summary: 'write every source as OPML 2.0, grouped by category',
  usage: `chapar export-opml [FILE]

Writes all sources of CHAPAR_DB as OPML 2.0 to FILE, or to standard output. Each source sits
in the folder of its first category and lists all its categories' slugs; chapar import-opml
reads it back unchanged.`,
  async run(args, io) {
    const { positional } = readOptions(args, []);
    if (positional.length > 1) throw new UsageError('export-opml takes at most one FILE');
    return withIngest(io, async (repos) => {
      const opml = await exportOpml(repos, { title: 'Chapar sources', now: new Date() });
      if (positional[0] === undefined) {
        io.out(opml.trimEnd());
        return 0;
      }
      const file = resolve(io.cwd, positional[0]);
      await writeFile(file, opml, 'utf8');
      io.err(`wrote ${file}`);
      return 0;
    });
  },
};
