import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseSpaces } from '../../src/core/persian.ts';

/** Text with every kind of whitespace JavaScript's `\s` knows, in runs and alone, between Persian words. */
const spaced = fc.string({
  unit: fc.constantFrom('ا', 'ب', 'ی', 'a', '.', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2009', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b', '\u200c'),
  maxLength: 30,
});

describe('collapseSpaces', () => {
  it('gives what replacing every run of \\s with one space gives, over arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(spaced, fc.string(), fc.string({ unit: 'binary' })), (s) => {
        expect(collapseSpaces(s)).toBe(s.replace(/\s+/g, ' '));
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves single spaces alone and folds the rest', () => {
    expect(collapseSpaces('یک دو')).toBe('یک دو');
    expect(collapseSpaces(' یک\n\tدو\u00a0سه  ')).toBe(' یک دو سه ');
  });
});
