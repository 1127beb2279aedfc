/**
 * Text safe for XML 1.0. Besides the characters XML forbids, this drops DEL, the C1 controls and
 * U+FFFD: they are legal XML but only ever appear in mis-decoded text, and the W3C validator
 * warns about them.
 */
const NOT_XML_TEXT = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFC\u{10000}-\u{10FFFF}]/gu;
/** A cheaper first look (no code point decoding); it also flags every surrogate, even paired ones. */
const MAYBE_NOT_XML_TEXT = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFC]/;

export function stripInvalidXml(value: string): string {
  return MAYBE_NOT_XML_TEXT.test(value) ? value.replace(NOT_XML_TEXT, '') : value;
}

/*
 * Plain text uses hexadecimal character references, as the RSS Best Practices Profile asks: they
 * tell readers (and the W3C validator) that "&#x3C;b&#x3E;" in a title is a literal "<b>", not markup.
 */
const TEXT_REFS: Record<string, string> = {
  '&': '&#x26;',
  '<': '&#x3C;',
  '>': '&#x3E;',
  '"': '&#x22;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

/**
 * Plain text as element content. Line breaks become references too, keeping every text element
 * on one line: the validator judges escaping line by line and misreads multi-line titles.
 */
export function escapeText(value: string): string {
  return stripInvalidXml(value).replace(/[&<>\n\r]/g, (c) => TEXT_REFS[c] ?? c);
}

/** Plain text or a URL as a double-quoted attribute value; whitespace survives attribute normalisation. */
export function escapeAttr(value: string): string {
  return stripInvalidXml(value).replace(/[&<>"\t\n\r]/g, (c) => TEXT_REFS[c] ?? c);
}

/** HTML carried as escaped text (RSS description, Atom type="html"); never CDATA. */
export function escapeMarkup(value: string): string {
  // Plain replaceAll calls beat one regex with a callback on the large bodies this sees.
  const escaped = stripInvalidXml(value).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return escaped.includes('\r') ? escaped.replaceAll('\r', '&#xD;') : escaped;
}
