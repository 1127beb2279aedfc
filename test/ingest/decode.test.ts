import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeBody, stripIllegalXmlChars } from '../../src/ingest/decode.ts';

/** windows-1256 encoder built by inverting TextDecoder's table for 0x80–0xFF. */
const win1256 = (() => {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return (text: string): Uint8Array =>
    Uint8Array.from(Array.from(text), (ch) => {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x80) return code;
      const byte = table.get(ch);
      if (byte === undefined) throw new Error(`test: ${ch} has no windows-1256 byte`);
      return byte;
    });
})();

const PERSIAN = 'گزارش چهارشنبه: پژوهش کتاب';

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const units = (bom ? '\uFEFF' : '') + text;
  const out = new Uint8Array(units.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), littleEndian);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('the test encoder', () => {
  it('round-trips Persian through windows-1256 and uses the Persian-only bytes', () => {
    const bytes = win1256(PERSIAN);
    expect(bytes).toContain(0x81); // پ
    expect(bytes).toContain(0x90); // گ
    expect(new TextDecoder('windows-1256').decode(bytes)).toBe(PERSIAN);
  });
});

describe('decodeBody: byte-order marks win', () => {
  it('UTF-8 BOM is stripped, even against a different HTTP charset', () => {
    const bytes = concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8(`<rss><title>${PERSIAN}</title></rss>`));
    const out = decodeBody(bytes, { contentType: 'text/xml; charset=windows-1256' });
    expect(out).toEqual({ text: `<rss><title>${PERSIAN}</title></rss>`, encoding: 'utf-8' });
  });

  it.each([
    ['utf-16le', true],
    ['utf-16be', false],
  ])('%s with BOM', (encoding, littleEndian) => {
    const xml = `<?xml version="1.0" encoding="UTF-16"?><rss><title>${PERSIAN}</title></rss>`;
    const out = decodeBody(utf16(xml, littleEndian, true), { contentType: 'application/rss+xml; charset=utf-8' });
    expect(out).toEqual({ text: xml, encoding });
  });

  it('BOM-less UTF-16 XML is recognised from its `<?` pattern', () => {
    const xml = `<?xml version="1.0" encoding="UTF-16"?><rss><title>${PERSIAN}</title></rss>`;
    expect(decodeBody(utf16(xml, true, false))).toEqual({ text: xml, encoding: 'utf-16le' });
    expect(decodeBody(utf16(xml, false, false))).toEqual({ text: xml, encoding: 'utf-16be' });
  });
});

describe('decodeBody: valid UTF-8 beats declarations', () => {
  it('keeps UTF-8 whatever the header and prolog say', () => {
    const xml = `<?xml version="1.0" encoding="windows-1256"?><title>${PERSIAN}</title>`;
    const out = decodeBody(utf8(xml), { contentType: 'text/xml; charset=windows-1256', fallbackCharset: 'windows-1256' });
    expect(out).toEqual({ text: xml, encoding: 'utf-8' });
  });
});

describe('decodeBody: declared charsets for non-UTF-8 bytes', () => {
  const body = `<rss><title>${PERSIAN}</title></rss>`;

  it('the HTTP charset', () => {
    const out = decodeBody(win1256(body), { contentType: 'application/rss+xml; charset="Windows-1256"' });
    expect(out).toEqual({ text: body, encoding: 'windows-1256' });
  });

  it('the XML prolog when the header has no charset', () => {
    const xml = `<?xml version="1.0" encoding="windows-1256"?>${body}`;
    expect(decodeBody(win1256(xml), { contentType: 'text/xml' })).toEqual({ text: xml, encoding: 'windows-1256' });
  });

  it.each(['utf-8', 'iso-8859-1', 'us-ascii'])('the prolog beats a wrong HTTP charset=%s', (httpCharset) => {
    const xml = `<?xml version='1.0' encoding='cp1256' ?>${body}`;
    const out = decodeBody(win1256(xml), { contentType: `text/xml; charset=${httpCharset}` });
    expect(out).toEqual({ text: xml, encoding: 'windows-1256' });
  });

  it('a specific HTTP charset beats the prolog (RFC 7303)', () => {
    const xml = `<?xml version="1.0" encoding="iso-8859-1"?>${body}`;
    const out = decodeBody(win1256(xml), { contentType: 'text/xml; charset=windows-1256' });
    expect(out).toEqual({ text: xml, encoding: 'windows-1256' });
  });

  it('an HTML page declares itself with <meta charset> or http-equiv', () => {
    const a = `<!DOCTYPE html><html><head><meta charset="windows-1256"><title>${PERSIAN}</title>`;
    expect(decodeBody(win1256(a), { contentType: 'text/html' })).toEqual({ text: a, encoding: 'windows-1256' });
    const b = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>${PERSIAN}</title>`;
    expect(decodeBody(win1256(b), {})).toEqual({ text: b, encoding: 'windows-1256' });
  });

  it('the fallback when nothing is declared, else windows-1252', () => {
    expect(decodeBody(win1256(body), { fallbackCharset: 'windows-1256' })).toEqual({ text: body, encoding: 'windows-1256' });
    const latin = Uint8Array.of(0x63, 0x61, 0x66, 0xe9); // "café" in Latin-1
    expect(decodeBody(latin, {})).toEqual({ text: 'café', encoding: 'windows-1252' });
  });

  it('ignores labels TextDecoder does not know', () => {
    const out = decodeBody(win1256(body), { contentType: 'text/xml; charset=x-klingon', fallbackCharset: 'windows-1256' });
    expect(out.encoding).toBe('windows-1256');
  });

  it('an ASCII prolog claiming UTF-16 is not believed', () => {
    const xml = `<?xml version="1.0" encoding="utf-16"?>${body}`;
    expect(decodeBody(win1256(xml), { fallbackCharset: 'windows-1256' }).encoding).toBe('windows-1256');
  });
});

describe('decodeBody: invalid bytes and illegal characters', () => {
  it('invalid UTF-8 declared as UTF-8 becomes windows-1252 text instead of U+FFFD', () => {
    const bytes = concat(utf8('<t>ok '), Uint8Array.of(0xc3, 0x28, 0xff), utf8('</t>'));
    const out = decodeBody(bytes, { contentType: 'text/xml; charset=utf-8' });
    expect(out.encoding).toBe('windows-1252');
    expect(out.text).toBe('<t>ok Ã(ÿ</t>');
  });

  it('strips C0 controls, U+FFFE/U+FFFF and lone surrogates but keeps tab, LF, CR and astral characters', () => {
    const bytes = utf8('<t>a\u0000b\u0008c\u000Bd\u001Fe\tf\ng\rh\uFFFEi\uFFFFj😀</t>');
    expect(decodeBody(bytes).text).toBe('<t>abcde\tf\ng\rhij😀</t>');
    expect(stripIllegalXmlChars('x\uD800y\uDC00z\uD83D\uDE00')).toBe('xyz\uD83D\uDE00');
  });

  it('an empty body is empty UTF-8', () => {
    expect(decodeBody(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8' });
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['text/xml; charset=UTF-8', 'UTF-8'],
    ['application/rss+xml;charset="windows-1256"', 'windows-1256'],
    ['text/html; foo=bar; charset = cp1256 ; x=y', 'cp1256'],
    ['text/xml', null],
    [null, null],
  ])('%s → %s', (header, charset) => {
    expect(charsetFromContentType(header)).toBe(charset);
  });
});
