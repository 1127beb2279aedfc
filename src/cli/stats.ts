import { computeFeedStats } from '../admin/api/stats.ts';
import { createRepos } from '../db/repos/index.ts';
import { readEnv } from '../runtime/env.ts';
import { openDatabase } from '../runtime/node.ts';
import { type Command, UsageError } from './command.ts';

export const statsCommand: Command = {
  name: 'stats',
  summary: "each feed's subscribers and polls, or one feed's in detail",
  usage: `chapar stats [SLUG] [--days N] [--json]

Without SLUG: one line per published feed with its subscriber estimate (hosted readers'
reported counts plus distinct other clients over 7 days) and its polls over --days (default 7).
With SLUG: that feed's readers, polls per day and per format. Reads CHAPAR_DB.`,
  async run(args, io) {
    const json = args.includes('--json');
    const rest = args.filter((a) => a !== '--json');
    let days = 7;
    const daysAt = rest.indexOf('--days');
    if (daysAt >= 0) {
      days = Number(rest[daysAt + 1]);
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new UsageError('--days takes a whole number from 1 to 366');
      rest.splice(daysAt, 2);
    }
    const unknown = rest.find((a) => a.startsWith('-'));
    if (unknown) throw new UsageError(`unknown option ${unknown}`);
    if (rest.length > 1) throw new UsageError('expected at most one feed SLUG');
    const database = openDatabase(readEnv(io.env));
    try {
      const repos = createRepos(database);
      const feeds = rest[0] ? [await repos.feeds.bySlug(rest[0])].filter((f) => f !== null) : await repos.feeds.list();
      if (rest[0] && feeds.length === 0) {
        io.err(`chapar stats: no feed "${rest[0]}"`);
        return 1;
      }
      const now = new Date();
      const all = [];
      for (const feed of feeds) all.push(await computeFeedStats(repos, feed, days, now));
      if (json) io.out(JSON.stringify(rest[0] ? all[0] : all));
      else if (rest[0]) {
        const s = all[0]!;
        io.out(`${s.feed}: ${s.subscribers} subscribers, ${s.polls.total} polls in ${days} days`);
        for (const r of s.readers) io.out(`  ${r.name}\t${r.subscribers}`);
        for (const d of s.polls.byDay) io.out(`  ${d.day}\t${d.polls}`);
        io.out(`  ${Object.entries(s.polls.byFormat).map(([f, n]) => `${f} ${n}`).join(', ')}`);
      } else for (const s of all) io.out(`${s.feed}\t${s.subscribers} subscribers\t${s.polls.total} polls`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
