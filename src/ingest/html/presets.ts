/**
 * Selectors for the layouts most Persian organisation sites run on, so most admins
 * need none of their own. Each field lists alternatives, tried in order: template
 * overrides move things around, and the first alternative that matches wins.
 * `:contains()` compares Persian-normalised text (Arabic ي/ك match ی/ک).
 */
import type { Selectors } from './selectors.ts';

/** Shown by many Persian sites next to their own short link, e.g. «آدرس کوتاه شده: 3643». */
const SHORT_LINK_LABEL = ['li', 'p', 'div', 'span', 'td', 'dd'].map((tag) => `${tag}:contains("آدرس کوتاه")`).join(', ');

export interface Preset {
  description: string;
  selectors: Required<Pick<Selectors, 'item' | 'title' | 'date' | 'content' | 'categories'>> & Selectors;
}

export const PRESETS = {
  k2: {
    description: 'Joomla with K2 (item view, category/tag/user listings, latest-items module)',
    selectors: {
      // The latest-items module only when the page has no K2 listing: on a listing it is the sidebar.
      item: ['.catItemTitle a, .tagItemTitle a, .userItemTitle a, .genericItemTitle a', '.latestItemTitle a, a.moduleItemTitle'],
      title: ['.itemView .itemTitle', 'h2.itemTitle', 'h1.itemTitle'],
      date: ['.itemView .itemDateCreated', '.itemDateCreated', '.itemDate'],
      content: ['.itemIntroText, .itemFullText', '.itemBody'],
      categories: ['.itemTags a, .itemCategory a', '.itemTagsBlock li'],
      author: ['.itemAuthor a', '.itemAuthor'],
      image: ['.itemImage img@src', 'meta[property="og:image"]@content'],
      shortCode: ['.itemExtraFields li:contains("آدرس کوتاه")', SHORT_LINK_LABEL, 'link[rel="shortlink"]@href'],
    },
  },
  joomla: {
    description: 'Joomla 3/4/5 core articles (com_content blog, featured and category-list layouts)',
    selectors: {
      item: [
        '.blog-item .page-header a, .items-leading .page-header a, .items-row .page-header a, .blog-featured .page-header a',
        '[itemprop="blogPost"] [itemprop="name"] a, .item-title a',
        'td.list-title a, .category-list .list-title a',
      ],
      title: ['.item-page [itemprop="headline"]', '.item-page .page-header h1, .item-page .page-header h2', '.com-content-article h1'],
      date: ['.article-info .published time@datetime', '.article-info .published', '.article-info .create time@datetime', '.article-info .create', 'meta[property="article:published_time"]@content'],
      content: ['.item-page [itemprop="articleBody"]', '.com-content-article__body', '.item-page'],
      categories: ['.item-page .tags a, .article-info .category-name a, .article-info .parent-category-name a', '.article-info .category-name'],
      author: ['.article-info .createdby [itemprop="name"]', '.article-info .createdby'],
      image: ['.item-page .item-image img@src', '.item-page [itemprop="image"]@src', 'meta[property="og:image"]@content'],
      shortCode: [SHORT_LINK_LABEL, 'link[rel="shortlink"]@href'],
    },
  },
  wordpress: {
    description: 'WordPress classic and block themes (archive and home listings, single posts)',
    selectors: {
      item: ['article .entry-title a, .post .entry-title a', '.wp-block-post-title a', 'h2.post-title a, h3.post-title a'],
      title: ['article .entry-title', 'h1.wp-block-post-title', '.single .post-title', 'meta[property="og:title"]@content'],
      date: [
        'article time.entry-date.published@datetime',
        'article time.entry-date@datetime',
        '.wp-block-post-date time@datetime',
        'meta[property="article:published_time"]@content',
        'article time@datetime',
      ],
      content: ['article .entry-content', '.wp-block-post-content', '.post-content'],
      categories: ['article .cat-links a, article .tags-links a', '.wp-block-post-terms a', 'a[rel~="category"], a[rel~="tag"]'],
      author: ['article .author.vcard a', 'article .byline .author', '.wp-block-post-author-name', 'a[rel="author"]'],
      image: ['meta[property="og:image"]@content', 'article .post-thumbnail img@src', '.wp-block-post-featured-image img@src'],
      shortCode: ['link[rel="shortlink"]@href', SHORT_LINK_LABEL],
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
