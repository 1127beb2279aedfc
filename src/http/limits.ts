/** Request limits the app enforces itself, before any route runs. */
import type { MiddlewareHandler } from 'hono';
import { problemResponse } from './problem.ts';

/**
 * The longest request target (path and query) answered: 8 KiB, what common proxies
 * allow. Kept under Node's 16 KiB header limit, which counts the request line too,
 * so a long URL gets this 414 problem document rather than Node's bare 431.
 */
export const MAX_TARGET_LENGTH = 8 * 1024;

/** 414 URI Too Long, as a problem document, for a request target over `maxLength` characters. */
export function urlLengthLimit(maxLength: number = MAX_TARGET_LENGTH): MiddlewareHandler {
  return async function urlLengthLimit(c, next) {
    // Path and query are what follows the origin: counted on the string, no URL parse per request.
    const url = c.req.url;
    const length = url.length - url.indexOf('/', url.indexOf('//') + 2);
    if (length > maxLength) {
      return problemResponse(c, 414, 'URI Too Long', { detail: `request targets (path and query) are limited to ${maxLength} characters, this one has ${length}; shorten the query` });
    }
    await next();
  };
}
