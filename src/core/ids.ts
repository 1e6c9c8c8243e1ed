/** Trace and span ids from `crypto.getRandomValues`. */

let hexByte: string[] | undefined;

const randomHex = (bytes: number): string => {
  hexByte ??= Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  // An all-zero id is invalid in W3C Trace Context; drawing again is the only correct answer.
  return random.some(Boolean) ? Array.from(random, (byte) => hexByte![byte]).join('') : randomHex(bytes);
};

/** A new random 16-byte trace id, 32 lower-case hex characters, never all zero. */
export const newTraceId = (): string => randomHex(16);

/** A new random 8-byte span id, 16 lower-case hex characters, never all zero. */
export const newSpanId = (): string => randomHex(8);
