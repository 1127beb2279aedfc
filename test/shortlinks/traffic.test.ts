import { describe, expect, it } from 'vitest';
import type { AudienceRepo, PollCount, ReaderSighting } from '../../src/db/repos/audience.ts';
import type { ClickCount } from '../../src/db/repos/links.ts';
import { createTrafficRecorder } from '../../src/shortlinks/traffic.ts';

/** Repositories in memory, whose writes can be held open or made to fail. */
function fakeRepos() {
  const clicks: ClickCount[] = [];
  const polls: PollCount[] = [];
  const readers: ReaderSighting[] = [];
  let gate: Promise<void> = Promise.resolve();
  let failing = false;
  const wait = async () => {
    await gate;
    if (failing) throw new Error('database is locked');
  };
  const audience = {
    salt: async () => 'salt',
    addPolls: async (rows: PollCount[]) => void (await wait(), polls.push(...rows)),
    touchReaders: async (rows: ReaderSighting[]) => void (await wait(), readers.push(...rows)),
    feedAudience: async () => ({ readers: [], polls: [] }),
    pruneReaders: async () => {},
  } satisfies AudienceRepo;
  return {
    repos: { links: { addClicks: async (rows: ClickCount[]) => void (await wait(), clicks.push(...rows)) }, audience },
    clicks,
    polls,
    readers,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = Promise.resolve();
        release();
      };
    },
    fail(on: boolean) {
      failing = on;
    },
  };
}

const now = () => new Date('2025-03-20T10:00:00Z');

describe('createTrafficRecorder', () => {
  it('sums repeated clicks into one row per link, day and referrer', async () => {
    const f = fakeRepos();
    const traffic = createTrafficRecorder(f.repos, { now });
    traffic.click('abc', 't.me');
    traffic.click('abc', 't.me');
    traffic.click('abc', '');
    traffic.click('xyz', 't.me');
    expect(await traffic.flush()).toEqual({ clicks: 4, polls: 0, readers: 0, failed: false });
    expect(f.clicks).toEqual([
      { code: 'abc', day: '2025-03-20', referrerHost: 't.me', count: 2 },
      { code: 'abc', day: '2025-03-20', referrerHost: '', count: 1 },
      { code: 'xyz', day: '2025-03-20', referrerHost: 't.me', count: 1 },
    ]);
  });

  it('bounds memory: past the bound a click loses its referrer, then is dropped and counted as dropped', async () => {
    const f = fakeRepos();
    const release = f.hold();
    const traffic = createTrafficRecorder(f.repos, { now, maxKeys: 4 });
    // The second distinct key makes the buffer half full: a flush starts and takes both.
    traffic.click('a', 'one');
    traffic.click('a', 'two');
    expect(traffic.pending).toBe(0);
    // That flush is held open, so what follows stays buffered.
    for (let i = 0; i < 100; i++) traffic.click('a', `h${i}`);
    // Four rows with their referrers, plus one without for the rest.
    expect(traffic.pending).toBe(5);
    traffic.click('b', 'x');
    traffic.click('c', 'x');
    expect(traffic.dropped).toBe(2);
    release();
    await traffic.flush();
    const total = f.clicks.reduce((sum, r) => sum + r.count, 0);
    expect(total).toBe(102);
    expect(f.clicks.filter((r) => r.code === 'a' && r.referrerHost === '').map((r) => r.count)).toEqual([96]);
  });

  it('keeps what it could not write for the next flush', async () => {
    const f = fakeRepos();
    const traffic = createTrafficRecorder(f.repos, { now });
    traffic.click('abc', '');
    traffic.poll({ slug: 'senfi', format: 'rss', userAgent: 'curl/8', ip: '192.0.2.1' });
    f.fail(true);
    expect((await traffic.flush()).failed).toBe(true);
    expect(traffic.pending).toBe(3);
    f.fail(false);
    expect(await traffic.flush()).toEqual({ clicks: 1, polls: 1, readers: 1, failed: false });
    expect(traffic.pending).toBe(0);
  });

  it('queues a flush asked for during another, so the last call covers everything before it', async () => {
    const f = fakeRepos();
    const release = f.hold();
    const traffic = createTrafficRecorder(f.repos, { now });
    traffic.click('abc', '');
    const first = traffic.flush();
    traffic.click('abc', '');
    const second = traffic.flush();
    const third = traffic.flush();
    expect(third).toBe(second);
    release();
    await Promise.all([first, second]);
    expect(f.clicks.reduce((sum, r) => sum + r.count, 0)).toBe(2);
    expect(traffic.pending).toBe(0);
  });

  it('never keeps a raw IP: client readers are stored under a salted hash', async () => {
    const f = fakeRepos();
    const traffic = createTrafficRecorder(f.repos, { now });
    traffic.poll({ slug: 'senfi', format: 'rss', userAgent: 'curl/8', ip: '192.0.2.1' });
    traffic.poll({ slug: 'senfi', format: 'atom', userAgent: 'curl/8', ip: '192.0.2.1' });
    traffic.poll({ slug: 'senfi', format: 'rss', userAgent: 'curl/8', ip: '192.0.2.2' });
    await traffic.flush();
    expect(f.readers).toHaveLength(2);
    for (const reader of f.readers) {
      expect(reader.key).toMatch(/^client:[0-9a-f]{32}$/);
      expect(JSON.stringify(reader)).not.toContain('192.0.2');
    }
  });
});

describe('createTrafficRecorder while the database fails', () => {
  it('does not retry in a loop: what failed waits for the next flush', async () => {
    const f = fakeRepos();
    let attempts = 0;
    const addClicks = f.repos.links.addClicks;
    f.repos.links.addClicks = async (rows) => {
      attempts++;
      return addClicks(rows);
    };
    const traffic = createTrafficRecorder(f.repos, { now, maxKeys: 4 });
    f.fail(true);
    traffic.click('a', 'one');
    traffic.click('a', 'two');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(1);
    f.fail(false);
    expect((await traffic.flush()).clicks).toBe(2);
  });
});
