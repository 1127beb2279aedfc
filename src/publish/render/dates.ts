/** RFC 822 as RSS wants it: "Mon, 18 Aug 2014 22:14:00 GMT". */
export function rfc822(date: Date): string {
  return date.toUTCString();
}

/** RFC 3339 in UTC, without milliseconds when they are zero. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
