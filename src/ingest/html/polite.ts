/**
 * Politeness towards the sites Chapar crawls: at most one or two requests at a time per
 * host, and a pause between the starts of two requests to it. One gate shared by all
 * HTML sources of a poll keeps two sources on one site from doubling the load.
 */

export interface Politeness {
  /** Requests to one host at once: 1 or 2. */
  concurrency: number;
  /** Milliseconds between the starts of two requests to one host. */
  delayMs: number;
}

interface HostState {
  active: number;
  waiting: (() => void)[];
  /** Earliest start of the next request. */
  nextStart: number;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class HostGate {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    private readonly sleep: Sleep = realSleep,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Runs `task` when `url`'s host has a free slot and its pause has passed. */
  async run<T>(url: string, politeness: Politeness, task: () => Promise<T>): Promise<T> {
    const host = new URL(url).host.toLowerCase();
    const state = this.hosts.get(host) ?? { active: 0, waiting: [], nextStart: 0 };
    this.hosts.set(host, state);
    while (state.active >= Math.max(1, politeness.concurrency)) await new Promise<void>((resolve) => state.waiting.push(resolve));
    state.active++;
    try {
      // The slot is booked before sleeping, so requests that wait together start one pause apart.
      const now = this.clock();
      const start = Math.max(now, state.nextStart);
      state.nextStart = start + politeness.delayMs;
      if (start > now) await this.sleep(start - now);
      return await task();
    } finally {
      state.active--;
      state.waiting.shift()?.();
      if (state.active === 0 && state.waiting.length === 0 && state.nextStart <= this.clock()) this.hosts.delete(host);
    }
  }
}
