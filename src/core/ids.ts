/**
 * Trace and span ids from `crypto.getRandomValues`. One call fills a pool that serves many ids, because the call
 * itself costs more than turning its bytes into hex, and ids are made for every span.
 */

const POOL_BYTES = 512;
let pool: Uint8Array | undefined;
let used = POOL_BYTES;
let hexByte: string[] | undefined;

const randomHex = (bytes: number): string => {
  hexByte ??= Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
  for (;;) {
    if (used + bytes > POOL_BYTES) {
      pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
      used = 0;
    }
    let hex = '';
    let any = 0;
    for (let end = used + bytes; used < end; used++) {
      any |= pool![used];
      hex += hexByte[pool![used]];
    }
    // An all-zero id is invalid in W3C Trace Context; drawing again is the only correct answer.
    if (any) return hex;
  }
};

/** A new random 16-byte trace id, 32 lower-case hex characters, never all zero. */
export const newTraceId = (): string => randomHex(16);

/** A new random 8-byte span id, 16 lower-case hex characters, never all zero. */
export const newSpanId = (): string => randomHex(8);
