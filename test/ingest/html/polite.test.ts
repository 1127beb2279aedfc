import { describe, expect, it } from 'vitest';
import { HostGate } from '../../../src/ingest/html/polite.ts';

/** A gate on a virtual clock: sleeping moves the clock, so pauses are exact and instant. */
function virtualGate() {
  let now = 0;
  const sleeps: number[] = [];
  const gate = new HostGate(
    async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    () => now,
  );
  return { gate, sleeps, at: () => now, advance: (ms: number) => void (now += ms) };
}

/** Runs `n` tasks to `url` at once; each records when it started and how many ran with it. */
async function burst(gate: HostGate, url: string, n: number, politeness: { concurrency: number; delayMs: number }, at: () => number) {
  let running = 0;
  let most = 0;
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: n }, () =>
      gate.run(url, politeness, async () => {
        starts.push(at());
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
      }),
    ),
  );
  return { starts, most };
}

describe('the per-host gate', () => {
  it('runs one request at a time per host, each a pause after the one before', async () => {
    const { gate, sleeps, at } = virtualGate();
    const { starts, most } = await burst(gate, 'http://site.ir/a', 4, { concurrency: 1, delayMs: 1000 }, at);
    expect(most).toBe(1);
    expect(starts).toEqual([0, 1000, 2000, 3000]);
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('allows two at once when asked, still starting them a pause apart', async () => {
    const { gate, at } = virtualGate();
    const { starts, most } = await burst(gate, 'http://site.ir/a', 4, { concurrency: 2, delayMs: 500 }, at);
    expect(most).toBe(2);
    expect(starts).toEqual([0, 500, 1000, 1500]);
  });

  it('keeps hosts apart: another site does not wait', async () => {
    const { gate, at } = virtualGate();
    const a = burst(gate, 'http://a.ir/', 2, { concurrency: 1, delayMs: 1000 }, at);
    const b = burst(gate, 'http://b.ir/', 1, { concurrency: 1, delayMs: 1000 }, at);
    expect((await b).starts).toEqual([0]);
    await a;
  });

  it('hands a freed slot to the waiter, so a newcomer cannot slip in beside it', async () => {
    const { gate, advance } = virtualGate();
    const politeness = { concurrency: 1, delayMs: 100 };
    let running = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    // The first request runs long past its pause; the second waits for it.
    const first = gate.run('http://a.ir/', politeness, async () => {
      await task();
      advance(5000);
    });
    const second = gate.run('http://a.ir/', politeness, task);
    await first;
    const newcomer = gate.run('http://a.ir/', politeness, task);
    await Promise.all([second, newcomer]);
    expect(most).toBe(1);
  });

  it('frees the slot when a task fails', async () => {
    const { gate } = virtualGate();
    await expect(gate.run('http://a.ir/', { concurrency: 1, delayMs: 0 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run('http://a.ir/', { concurrency: 1, delayMs: 0 }, async () => 'ok')).resolves.toBe('ok');
  });
});
