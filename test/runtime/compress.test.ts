import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { brotliWindowBits, nodeCompressor } from '../../src/runtime/compress.ts';

// Persian news text, varied enough that brotli has real matches to find and miss.
const words = ['اتحادیه', 'صنف', 'نشست', 'اخبار', 'سازمان', 'بازار', 'قیمت', 'گزارش', 'مجمع', 'عمومی', 'هیئت', 'مدیره'];
function persian(bytes: number, seed = 1): Buffer {
  let x = seed;
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const word = `${words[x % words.length]}${x % 7 === 0 ? ` ${x % 1000}` : ''} `;
    parts.push(word);
    length += Buffer.byteLength(word);
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

describe('brotliWindowBits', () => {
  it('is the smallest window that holds the input, within brotli’s 10..24 bits', () => {
    // A window of b bits holds (1 << b) - 16 bytes.
    expect(brotliWindowBits(0)).toBe(10);
    expect(brotliWindowBits(1008)).toBe(10);
    expect(brotliWindowBits(1009)).toBe(11);
    expect(brotliWindowBits(65_520)).toBe(16);
    expect(brotliWindowBits(65_521)).toBe(17);
    expect(brotliWindowBits(100 * 2 ** 20)).toBe(24);
  });
});

describe('nodeCompressor', () => {
  const compressor = nodeCompressor();

  it.each([0, 1, 1008, 1009, 65_520, 65_521, 150_000])('round-trips %i bytes through brotli and gzip', async (size) => {
    const input = persian(size, size + 1);
    expect(Buffer.from(brotliDecompressSync(await compressor.br!(input)))).toEqual(input);
    expect(Buffer.from(gunzipSync(await compressor.gzip!(input)))).toEqual(input);
  });

  it('compresses a feed-sized body as well as brotli’s default window does, within 0.5%', async () => {
    const input = persian(60_000, 7);
    const sized = (await compressor.br!(input)).byteLength;
    const defaultWindow = brotliCompressSync(input, {
      params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: input.byteLength },
    }).byteLength;
    expect(sized).toBeLessThanOrEqual(defaultWindow * 1.005);
  });
});
