import { type EncodedSpan, encodeRequest } from './otlp-json';
import type { Attributes } from '../types';

/** One request ready to send: its JSON text, the bytes on the wire, and how many spans it carries. */
export interface Packet {
  _body: string;
  _payload: Uint8Array;
  _spans: number;
  /** The drop counts it reports, if any. */
  _counts?: Attributes;
  /** How many times it was sent and failed with a retryable answer. */
  _attempt: number;
}

// How many bytes of JSON text make one byte on the wire, learnt from each request built, so that a request is
// rarely compressed twice. Random ids compress poorly, so OTLP JSON gzips about 4 to 1.
let textPerWireByte = 4;

/**
 * Builds the first request of at most `maxBytes` on the wire from `spans[start..]`, with the resource and the
 * drop counts `counts`, returning it and the index of the first span it left out. `encode` turns a body into the
 * bytes on the wire (gzip, or plain UTF-8). A request is compressed, measured, and halved until it fits; one span
 * too large for any request is still returned alone, and the caller decides where it may go.
 */
export const packNext = (
  spans: EncodedSpan[],
  start: number,
  maxBytes: number,
  encode: (body: string) => Uint8Array,
  resourceJson: string,
  counts?: Attributes,
): [Packet, number] => {
  const target = maxBytes * textPerWireByte * 0.9;
  let end = start + 1;
  for (let text = spans[start]._json.length; end < spans.length && (text += spans[end]._json.length) < target; ) end++;
  for (;;) {
    const body = encodeRequest(resourceJson, spans.slice(start, end), counts);
    const payload = encode(body);
    textPerWireByte = Math.max(1, (textPerWireByte + body.length / payload.length) / 2);
    if (payload.length <= maxBytes || end - start === 1) return [{ _body: body, _payload: payload, _spans: end - start, _attempt: 0, _counts: counts }, end];
    end = start + Math.ceil((end - start) / 2);
  }
};
