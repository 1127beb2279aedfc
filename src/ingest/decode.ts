/**
 * Bytes of a fetched feed to text. Runtime-neutral: TextDecoder only.
 *
 * Which encoding wins, first match:
 *  1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE), or BOM-less UTF-16 XML (`<?` as two-byte units);
 *  2. the bytes are valid UTF-8: real text in another encoding almost never is;
 *  3. the HTTP charset, unless it is a server's Latin-1 default (`iso-8859-1`,
 *     `us-ascii`, `windows-1252`) and the document itself declares something else;
 *  4. the document's declaration: XML prolog `encoding="…"`, or for HTML pages
 *     `<meta charset>` / `http-equiv` in the first 1024 bytes;
 *  5. `fallbackCharset` (a source known to be, say, windows-1256);
 *  6. windows-1252, the WHATWG default: it decodes every byte, so nothing is lost
 *     that a better guess could recover from the returned text.
 * A declared UTF-8 is ignored in 3–5: step 2 has already shown the bytes are not UTF-8.
 */

export interface DecodeOptions {
  contentType?: string | null;
  fallbackCharset?: string | null;
}

export interface DecodedBody {
  text: string;
  /** WHATWG name, lowercase: `utf-8`, `utf-16le`, `windows-1256`. */
  encoding: string;
}

const LATIN1_DEFAULT = 'windows-1252';
const PRESCAN_BYTES = 1024;

export function decodeBody(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedBody {
  const sniffed = sniffByteOrder(bytes);
  if (sniffed !== null) return finish(new TextDecoder(sniffed).decode(bytes), sniffed);
  const utf8 = decodeStrictUtf8(bytes);
  if (utf8 !== null) return finish(utf8, 'utf-8');
  const encoding = chooseDeclaredEncoding(bytes, opts);
  return finish(new TextDecoder(encoding).decode(bytes), encoding);
}

function finish(text: string, encoding: string): DecodedBody {
  return { text: stripIllegalXmlChars(text.replace(/^\uFEFF/, '')), encoding };
}

/** The BOM, or the UTF-16 pattern of `<?` that XML 1.0 Appendix F describes. */
function sniffByteOrder(b: Uint8Array): string | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return 'utf-16le';
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return 'utf-16be';
  return null;
}

function decodeStrictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function chooseDeclaredEncoding(bytes: Uint8Array, opts: DecodeOptions): string {
  const http = usable(charsetFromContentType(opts.contentType));
  const declared = usable(declaredInDocument(bytes, opts.contentType));
  const fallback = usable(opts.fallbackCharset);
  // Apache and friends add `charset=iso-8859-1` to everything; the document knows better.
  if (http !== null && !(http === LATIN1_DEFAULT && declared !== null)) return http;
  return declared ?? http ?? fallback ?? LATIN1_DEFAULT;
}

/** The WHATWG name for a label TextDecoder supports, minus UTF-8 (already ruled out). */
function usable(label: string | null | undefined): string | null {
  const name = encodingName(label);
  return name === 'utf-8' ? null : name;
}

/** `new TextDecoder(label).encoding` for a supported label, else null. */
export function encodingName(label: string | null | undefined): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** The XML prolog's encoding, or an HTML page's meta charset, read as ASCII. */
function declaredInDocument(bytes: Uint8Array, contentType: string | null | undefined): string | null {
  const head = new TextDecoder(LATIN1_DEFAULT).decode(bytes.subarray(0, PRESCAN_BYTES));
  const found = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? htmlMetaCharset(head, contentType);
  // An ASCII-readable document cannot be UTF-16 whatever it says (WHATWG treats it as UTF-8 too).
  return found && /^utf-?16/i.test(found.trim()) ? null : found;
}

function htmlMetaCharset(head: string, contentType: string | null | undefined): string | null {
  const looksHtml = /html/i.test(contentType ?? '') || /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head)\b/i.test(head);
  if (!looksHtml) return null;
  return /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ?? null;
}

/**
 * Drops what XML 1.0 forbids and parsers choke on: C0 controls but tab, LF and CR,
 * U+FFFE, U+FFFF, and surrogates without their pair.
 */
export function stripIllegalXmlChars(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}
