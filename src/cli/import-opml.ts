import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importOpml } from '../ingest/opml.ts';
import { type Command, UsageError } from './command.ts';
import { readOptions, reportProblem, withIngest } from './sources.ts';

export const importOpmlCommand: Command = {
  name: 'import-opml',
  summary: 'add the sources of an OPML file, with their categories',
  usage: `chapar import-opml FILE [--json]

Adds every feed of the OPML file that is not a source yet. A feed's OPML category attribute,
else its folder, names its categories (by slug, name or alias); missing ones are created.
Prints a progress line per feed and a summary; exits 1 when some feed could not be added.
Private addresses need CHAPAR_FETCH_ALLOW_PRIVATE=true. Works on CHAPAR_DB.`,
  async run(args, io) {
    const { positional, flags } = readOptions(args, []);
    if (positional.length !== 1) throw new UsageError('import-opml needs one FILE, e.g. chapar import-opml subscriptions.opml');
    const file = resolve(io.cwd, positional[0]!);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      io.err(`chapar import-opml: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return 1;
    }
    return withIngest(io, async (repos, ingest) => {
      try {
        const report = await importOpml(repos, text, {
          allowPrivate: ingest.allowPrivate ?? false,
          onProgress: (done, total, line) => {
            if (!flags.has('json')) io.out(`[${done}/${total}] ${line.status} ${line.url}${line.error ? `: ${line.error}` : ''}`);
          },
        });
        if (flags.has('json')) io.out(JSON.stringify(report));
        else {
          const created = report.categoriesCreated.length > 0 ? `; new categories: ${report.categoriesCreated.join(', ')}` : '';
          io.out(`${report.created} added, ${report.existing} already present, ${report.failed} failed${created}`);
        }
        return report.failed > 0 ? 1 : 0;
      } catch (error) {
        return reportProblem(io, 'import-opml', error);
      }
    });
  },
};
