/**
 * Content codings for published bytes, behind a seam: the app only knows "turn these bytes into
 * gzip/br bytes". The default uses CompressionStream, which Node 20 and Workers both have (gzip
 * only); the Node runtime adds brotli from node:zlib. Workers may also leave it to Cloudflare.
 */
export type Coding = 'br' | 'gzip';

/** Bytes over a plain ArrayBuffer, which Response bodies and Blobs accept. */
export type Bytes = Uint8Array<ArrayBuffer>;

export type Compressor = Partial<Record<Coding, (bytes: Bytes) => Promise<Bytes>>>;

async function viaStream(format: CompressionFormat, bytes: Bytes): Promise<Bytes> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** gzip through the web platform's CompressionStream, when the runtime has one. */
export function webCompressor(): Compressor {
  return typeof CompressionStream === 'function' ? { gzip: (bytes) => viaStream('gzip', bytes) } : {};
}

/** The codings a compressor offers, best first. */
export function offeredCodings(compressor: Compressor): Coding[] {
  return (['br', 'gzip'] as const).filter((coding) => compressor[coding] !== undefined);
}
