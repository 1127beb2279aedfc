/**
 * Failed sign-ins per client, in memory: after `limit` failures inside `windowMs` the client
 * waits until the oldest one ages out. Per process (per isolate on Workers), so it slows a
 * guesser down rather than counting exactly; tokens are 32 random bytes, so guessing is hopeless anyway.
 */
export interface ThrottleOptions {
  limit: number;
  windowMs: number;
  /** Clients remembered at once; the least recently failed are forgotten first. */
  maxClients?: number;
}

export function failureThrottle({ limit, windowMs, maxClients = 10_000 }: ThrottleOptions) {
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((at) => at > now - windowMs);

  return {
    /** Milliseconds the client must wait before trying again; 0 when it may try now. */
    waitFor(key: string, now: number): number {
      const times = recent(key, now);
      return times.length < limit ? 0 : times[times.length - limit]! + windowMs - now;
    },

    fail(key: string, now: number): void {
      const times = recent(key, now);
      times.push(now);
      failures.delete(key);
      failures.set(key, times.slice(-limit));
      if (failures.size > maxClients) failures.delete(failures.keys().next().value!);
    },

    succeed(key: string): void {
      failures.delete(key);
    },
  };
}
