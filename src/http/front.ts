/**
 * The front: answers the hottest requests (a feed already rendered, its 304, a short link already
 * resolved) from memory before they reach the Hono app, the way a caching proxy in front of it
 * would. It only replays what the app itself built and cached, and declines everything else, so
 * the app stays the one source of answers: a declined request is answered by the app as usual.
 *
 * Runtime-neutral: a runtime that can call it synchronously on its raw request (Node) puts it
 * in front of the app; one that cannot (Workers) does without it and loses nothing but speed.
 */
import type { Metrics } from './metrics.ts';
import type { RequestRecorder } from './observe.ts';
import { requestId } from './observe.ts';

export interface FrontRequest {
  method: string;
  /** Path and query as sent (origin-form); anything else is declined. */
  target: string;
  /** Headers by lower-case name as the runtime parsed them (Node's `req.headers`): plain data, no calls per request. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's address as the runtime sees it, for subscriber estimates. */
  ip: string | undefined;
}

/** One request header; a repeated one (an array) joined with ", ". */
export function headerOf(request: FrontRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'object' ? value.join(', ') : value;
}

export interface FrontAnswer {
  status: number;
  /** Shared between answers: never mutated. X-Request-Id comes separately, as `id`. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | null;
  /** The request's id, for the X-Request-Id header. */
  id: string;
}

/** What one part answers: its response and the route label the app would have counted it under. */
export interface PartAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | null;
  route: string;
}

/** One part of the front; `path` and `query` are the target split at its first `?`. */
export type FrontPart = (request: FrontRequest, path: string, query: string) => PartAnswer | null;

export type Front = (request: FrontRequest) => FrontAnswer | null;

/**
 * The parts in order, behind the same request id, metrics and access log the app's own
 * middleware gives every request (src/http/observe.ts), so the two paths cannot be told apart
 * from outside but by speed.
 */
export function createFront(parts: readonly FrontPart[], record: RequestRecorder, metrics: Metrics, maxTarget: number): Front {
  const answered = metrics.counter('chapar_front_answers_total', 'Requests answered from memory before the app (also counted in chapar_http_requests_total)', ['route']);
  return (request) => {
    const { method, target } = request;
    if ((method !== 'GET' && method !== 'HEAD') || target.length > maxTarget || target.charCodeAt(0) !== 47 /* / */) return null;
    const started = performance.now();
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const query = q === -1 ? '' : target.slice(q + 1);
    for (const part of parts) {
      const answer = part(request, path, query);
      if (!answer) continue;
      const id = requestId(headerOf(request, 'x-request-id'));
      record({ id, method, path, route: answer.route, status: answer.status, started });
      answered([answer.route]);
      return { status: answer.status, headers: answer.headers, body: answer.body, id };
    }
    return null;
  };
}
