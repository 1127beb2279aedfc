/** Request limits the app enforces itself, before any route runs. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
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

/**
 * 413 Content Too Large, as a problem document, for a request body over `maxBytes`.
 *
 * A declared Content-Length is judged from the header alone. Hono's bodyLimit asks for
 * `c.req.raw.body` first, which on @hono/node-server turns the request into a full web
 * Request around a web stream of the socket; the route's `c.req.json()` then reads a 1 MB
 * push through that stream instead of straight from Node's buffers. Only a body without a
 * length (chunked) goes through bodyLimit, which counts it as it arrives.
 */
export function bodySizeLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    problemResponse(c, 413, 'Content Too Large', { detail: `request bodies are limited to ${maxBytes} bytes; push large batches in parts` });
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async function bodySizeLimit(c, next) {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > maxBytes) return tooLarge(c);
      return next();
    }
    return counted(c, next);
  };
}
