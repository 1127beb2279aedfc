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
  /** Earliest start of the next request: the last actual start plus the pause. */
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
    // A freed slot is handed straight to the next waiter, so nobody can slip in between.
    if (state.active < Math.max(1, politeness.concurrency)) state.active++;
    else await new Promise<void>((resolve) => state.waiting.push(resolve));
    try {
      // Checked again after every sleep: timers may wake early (they count from the event loop's
      // cached time), late (a busy loop), or together with another waiter of a two-slot host.
      // Only the start that finds the pause over, and books the next, goes.
      for (let left = state.nextStart - this.clock(); left > 0; left = state.nextStart - this.clock()) await this.sleep(left);
      state.nextStart = this.clock() + politeness.delayMs;
      return await task();
    } finally {
      const next = state.waiting.shift();
      if (next) next();
      else if (--state.active === 0 && state.nextStart <= this.clock()) this.hosts.delete(host);
    }
  }
}
