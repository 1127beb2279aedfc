/** The part of sax 1.x (the parser under xml2js and rss-parser) that parse/xml.ts uses. */
declare module 'sax' {
  /** A tag as sax reports it without its `xmlns` option. */
  export interface Tag {
    name: string;
    attributes: Record<string, string>;
    isSelfClosing: boolean;
  }

  export interface SAXOptions {
    lowercase?: boolean;
    trim?: boolean;
    normalize?: boolean;
    position?: boolean;
  }

  export interface SAXParser {
    error: Error | null;
    onopentag: (tag: Tag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onerror: (error: Error) => void;
    write(chunk: string): SAXParser;
    close(): SAXParser;
    resume(): SAXParser;
  }

  export function parser(strict: boolean, opts?: SAXOptions): SAXParser;

  const sax: { parser: typeof parser };
  export default sax;
}
