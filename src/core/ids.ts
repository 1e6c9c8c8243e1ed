/**
 * Trace and span ids from `crypto.getRandomValues`. One call fills a pool that serves many ids, because the call
 * itself costs several microseconds, more than the rest of a span's start.
 */

let pool = new Uint8Array();
let used = 0;
let hexByte: string[] | undefined;

const randomHex = (bytes: number): string => {
  hexByte ??= Array.from({ length: 256 }, (_, i) => (i + 256).toString(16).slice(1));
  if (used + bytes > pool.length) pool = crypto.getRandomValues(new Uint8Array((used = 0) + 512));
  let hex = '';
  let any = 0;
  for (const end = used + bytes; used < end; ) hex += hexByte[(any |= pool[used], pool[used++])];
  // charCodeAt flattens the string: built by +=, it is a tree of a dozen partial strings, which a queued span
  // would keep alive until export.
  hex.charCodeAt(0);
  // An all-zero id is invalid in W3C Trace Context; drawing again is the only correct answer.
  return any ? hex : randomHex(bytes);
};

/** A new random 16-byte trace id, 32 lower-case hex characters, never all zero. */
export const newTraceId = (): string => randomHex(16);

/** A new random 8-byte span id, 16 lower-case hex characters, never all zero. */
export const newSpanId = (): string => randomHex(8);
