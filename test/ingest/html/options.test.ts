import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { htmlOptionProblems, readHtmlOptions } from '../../../src/ingest/html/options.ts';
import { PRESETS } from '../../../src/ingest/html/presets.ts';
import { checkSelectors, resolveSelectors } from '../../../src/ingest/html/selectors.ts';
import { selectorProblem } from '../../../src/ingest/html/dom.ts';

describe('presets and selectors', () => {
  it('combine field by field, the explicit selector winning', () => {
    const resolved = resolveSelectors('k2', { title: 'h1.headline', shortCode: ['.code', '.short'] });
    expect(resolved.title).toEqual({ alternatives: ['h1.headline'], from: 'explicit' });
    expect(resolved.shortCode).toEqual({ alternatives: ['.code', '.short'], from: 'explicit' });
    expect(resolved.date).toEqual({ alternatives: [...PRESETS.k2.selectors.date], from: 'preset' });
  });

  it('leave out what neither gives', () => {
    expect(resolveSelectors(undefined, { item: 'a', title: 'h1' })).toEqual({
      item: { alternatives: ['a'], from: 'explicit' },
      title: { alternatives: ['h1'], from: 'explicit' },
    });
  });

  it('every preset selector compiles', () => {
    for (const preset of Object.values(PRESETS)) {
      for (const spec of Object.values(preset.selectors)) {
        for (const selector of typeof spec === 'string' ? [spec] : spec) expect(selectorProblem(selector), selector).toBeNull();
      }
    }
  });

  it('name each bad selector and each required field nothing covers', () => {
    expect(checkSelectors(undefined, { item: 'a', title: 'h1[', content: ['.body', ''] })).toEqual([
      { field: 'selectors.title', message: expect.stringMatching(/^is not a CSS selector Chapar can use/) },
      { field: 'selectors.content.1', message: 'must not be empty' },
      { field: 'selectors.date', message: 'is required without a preset (or choose a preset: k2, joomla, wordpress)' },
      { field: 'selectors.categories', message: 'is required without a preset (or choose a preset: k2, joomla, wordpress)' },
    ]);
    expect(checkSelectors('wordpress', { date: 'time@datetime' })).toEqual([]);
  });
});

describe('source options', () => {
  it('default to 10 new articles a poll, one request at a time, a second apart', () => {
    expect(readHtmlOptions({ preset: 'k2' })).toMatchObject({ preset: 'k2', maxNewArticles: 10, delayMs: 1000, concurrency: 1 });
  });

  it('are refused with every problem named under options.', () => {
    expect(htmlOptionProblems({ preset: 'drupal', selectors: { titel: 'h1' }, concurrency: 3, maxNewArticles: 0 })).toEqual([
      { field: 'options.preset', message: 'must be one of k2, joomla, wordpress' },
      { field: 'options.selectors', message: expect.stringContaining('titel') },
      { field: 'options.maxNewArticles', message: expect.any(String) },
      { field: 'options.concurrency', message: 'must be 1 or 2' },
    ]);
    expect(() => readHtmlOptions({})).toThrow(ValidationError);
    expect(htmlOptionProblems({ selectors: { item: 'a', title: 'h1', date: '.d', content: '.c', categories: '.tags a' } })).toEqual([]);
  });
});
