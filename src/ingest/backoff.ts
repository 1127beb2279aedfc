const BACKOFF_CAP_MS = 24 * 60 * 60 * 1000;

/**
 * When to poll a source again after `errorCount` failures in a row (1 for the
 * first): twice the interval, then 4×, 8×…, never more than a day, unless the
 * interval itself is longer.
 */
export function nextCheckAfterFailure(errorCount: number, baseIntervalMinutes: number, now: Date): Date {
  const base = Math.max(1, baseIntervalMinutes) * 60 * 1000;
  const factor = 2 ** Math.min(Math.max(errorCount, 0), 30);
  const delay = Math.min(base * factor, Math.max(BACKOFF_CAP_MS, base));
  return new Date(now.getTime() + delay);
}
