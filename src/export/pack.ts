import { type EncodedSpan, encodeRequest } from './otlp-json';
import type { Attributes } from '../types';

/** One request ready to send: its JSON text, the bytes on the wire, and how many spans it carries. */
export interface Packet {
  body: string;
  payload: Uint8Array;
  spans: number;
}

/** How to turn spans into request bodies: the resource, the drop counts to report, and the compression. */
export interface PackOptions {
  resourceJson: string;
  /** Drop counts to report in the first request built, taken (and so cleared) by the call. */
  takeCounts(): Attributes | undefined;
  /** Turns a body into the bytes on the wire: gzip, or plain UTF-8. */
  encode(body: string): Uint8Array;
}

// How many bytes of JSON text make one byte on the wire, learnt from each request built, so that a request is
// rarely compressed twice. Random ids compress poorly, so OTLP JSON gzips about 4 to 1.
let textPerWireByte = 4;

/**
 * Builds the first request of at most `maxBytes` on the wire from `spans[start..]`, returning it and the index of
 * the first span it left out. A request is compressed, measured, and halved until it fits; one span too large
 * for any request is still returned alone, and the caller decides where it may go.
 */
export const packNext = (spans: EncodedSpan[], start: number, maxBytes: number, options: PackOptions): [Packet, number] => {
  const target = maxBytes * textPerWireByte * 0.9;
  let end = start + 1;
  for (let text = spans[start].json.length; end < spans.length && (text += spans[end].json.length) < target; ) end++;
  const counts = options.takeCounts();
  for (;;) {
    const body = encodeRequest(options.resourceJson, spans.slice(start, end), counts);
    const payload = options.encode(body);
    textPerWireByte = Math.max(1, (textPerWireByte + body.length / payload.length) / 2);
    if (payload.length <= maxBytes || end - start === 1) return [{ body, payload, spans: end - start }, end];
    end = start + Math.ceil((end - start) / 2);
  }
};
