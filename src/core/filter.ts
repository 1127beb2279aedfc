import type { FeedFilter } from './types.ts';

/**
 * One set of conditions on items. A feed request ANDs several: the published feed's saved
 * filter and the request's query, so a query can narrow a feed but never widen it.
 */
export interface ItemFilter extends FeedFilter {
  /** Normalised search keys that must all occur in the item's text. */
  search?: string[];
  since?: Date;
  until?: Date;
}
