/**
 * Parse throughput, in process: Chapar's ingest parser (decode, parse, normalise, sanitise:
 * bytes to a ParsedFeed, as `chapar parse` does) against fast-xml-parser's raw parse of the
 * same bytes to a plain object, its default options. Alternating rounds of equal length.
 */
import { XMLParser } from 'fast-xml-parser';
import { decodeBody } from '../src/ingest/decode.ts';
import { parseFeed } from '../src/ingest/parse.ts';
import { median } from './lib/probe.ts';

export interface ParseFigure {
  bytes: number;
  items: number;
  rounds: number;
  /** Median MB/s (10^6 bytes) over the rounds. */
  chaparMBps: number;
  fxpMBps: number;
  ratio: number;
}

async function timed(seconds: number, once: () => unknown): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let runs = 0;
  const started = performance.now();
  while (performance.now() < until) {
    await once();
    runs++;
  }
  return runs / ((performance.now() - started) / 1000);
}

export async function parseThroughput(bytes: Uint8Array, baseUrl: string, opts: { rounds: number; seconds: number }): Promise<ParseFigure> {
  const fxp = new XMLParser();
  const buffer = Buffer.from(bytes);
  const chapar = async () => parseFeed(decodeBody(bytes).text, baseUrl);
  const raw = () => fxp.parse(buffer);
  const { items } = await chapar();
  if (items.length === 0) throw new Error('bench: the parse input has no items');
  // Warm both up so the first round does not pay for compilation.
  await timed(Math.min(1, opts.seconds), chapar);
  await timed(Math.min(1, opts.seconds), raw);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    ours.push((await timed(opts.seconds, chapar)) * bytes.byteLength);
    theirs.push((await timed(opts.seconds, raw)) * bytes.byteLength);
  }
  const chaparMBps = median(ours) / 1e6;
  const fxpMBps = median(theirs) / 1e6;
  return { bytes: bytes.byteLength, items: items.length, rounds: opts.rounds, chaparMBps, fxpMBps, ratio: chaparMBps / fxpMBps };
}
