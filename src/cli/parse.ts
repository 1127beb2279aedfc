import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParsedFeed, ParsedItem } from '../core/types.ts';
import { decodeBody } from '../ingest/decode.ts';
import { parseFeed } from '../ingest/parse.ts';
import { UsageError } from './command.ts';
import type { CliIo, Command } from './command.ts';

const USAGE = `Usage: chapar parse FILE...

Runs the ingest parser (decode, parse, sanitise; no database, no network) on
local feed files and prints one JSON line per file, in argument order:

  {"file", "format": "rss"|"atom"|"rdf"|"json", "encoding",
   "feed": {"title", "link", "language", "updated"},
   "items": [{"guid", "title", "url", "summary", "content", "author",
              "categories", "publishedAt", "updatedAt"}],
   "error": null}

A file that cannot be read or parsed still gets its line, with "error" set
(and "format", "encoding", "feed" null where unknown); the exit code is 0
unless the arguments are wrong.

The encoding is sniffed as for a fetch without a Content-Type header: byte-order
mark, valid UTF-8, then the XML declaration.

Links: relative URLs resolve against xml:base, then the feed's location. A file
has no web address, so the feed's own absolute self link (atom:link rel="self")
stands in for it, else its home link (<link>, or Atom's alternate link). A URL
that still is not absolute http(s) is dropped (null): "url" is always absolute.

Dates are ISO 8601 in UTC. A date that names no zone is read as UTC, or as
Asia/Tehran time when it is a Jalali (Persian calendar) date.

Options:
  -h, --help   show this help`;

interface ParseLine {
  file: string;
  format: ParsedFeed['format'] | null;
  encoding: string | null;
  feed: ParsedFeed['feed'] | null;
  items: Omit<ParsedItem, 'enclosures'>[];
  error: string | null;
}

export const parseCommand: Command = {
  name: 'parse',
  summary: 'parse local feed files and print one JSON line per file',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    const files = fileArguments(args);
    for (const file of files) io.out(JSON.stringify(await parseFile(file, io.cwd)));
    return 0;
  },
};

/** The FILE arguments; `--` ends options, so a file may start with `-`. */
function fileArguments(args: string[]): string[] {
  const end = args.indexOf('--');
  const options = end === -1 ? args : args.slice(0, end);
  const unknown = options.find((a) => a.startsWith('-') && a !== '-');
  if (unknown !== undefined) throw new UsageError(`unknown option ${unknown}; see chapar parse --help`);
  const files = end === -1 ? args : [...options, ...args.slice(end + 1)];
  if (files.length === 0) throw new UsageError('no files given; usage: chapar parse FILE...');
  return files;
}

async function parseFile(file: string, cwd: string): Promise<ParseLine> {
  const line: ParseLine = { file, format: null, encoding: null, feed: null, items: [], error: null };
  const path = resolve(cwd, file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    return { ...line, error: `parse: cannot read ${file} (${reason})` };
  }
  try {
    const { text, encoding } = decodeBody(bytes, {});
    line.encoding = encoding;
    const parsed = await parseFeed(text, pathToFileURL(path).href);
    return { ...line, format: parsed.format, feed: parsed.feed, items: parsed.items.map(contractItem) };
  } catch (e) {
    return { ...line, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The item as the contract lists it: same keys, same order, enclosures left out. */
function contractItem(item: ParsedItem): Omit<ParsedItem, 'enclosures'> {
  const { guid, title, url, summary, content, author, categories, publishedAt, updatedAt } = item;
  return { guid, title, url, summary, content, author, categories, publishedAt, updatedAt };
}
