import { gzipSync } from 'fflate';

let encoder: TextEncoder | undefined;

/** UTF-8 bytes of `text`. */
export const utf8 = (text: string): Uint8Array => (encoder ??= new TextEncoder()).encode(text);

/**
 * gzip, synchronously, so that it also works inside `pagehide`, where `CompressionStream` (asynchronous) would
 * not finish before the page is gone. With fflate's defaults: the bundles leave out its option handling
 * (rollup.config.mjs, DEAD_OPTIONS), so passing options here fails the build.
 */
export const gzip = (bytes: Uint8Array): Uint8Array => gzipSync(bytes);
