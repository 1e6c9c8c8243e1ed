// Reading and decompressing request bodies within fixed limits.
import { gunzip } from 'node:zlib';

/** An error that carries the HTTP status to answer with and a short reason for the rejection counters. */
export class HttpError extends Error {
  constructor(status, reason, message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

/**
 * Reads the whole body, keeping at most `maxBytes` of it. A client that is answered before it has finished
 * sending sees a reset connection instead of the answer, so an oversized body is drained (and dropped) rather
 * than cut off; `body` is then undefined.
 */
export function readBody(request, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let bytes = 0;
    request.on('data', (chunk) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () => resolve({ bytes, body: bytes <= maxBytes ? Buffer.concat(chunks) : undefined }));
    // The client went away before it had sent everything.
    request.on('error', (error) => reject(new HttpError(400, 'incomplete-body', `body not received in full: ${error.message}`)));
  });
}

/**
 * The body decoded according to its Content-Encoding. gunzip stops at `maxBytes` of output
 * (zlib's maxOutputLength), so a gzip bomb costs no more memory than an honest body of the limit.
 */
export function decodeContent(body, encoding, maxBytes) {
  if (!encoding || encoding === 'identity') return Promise.resolve(body);
  if (encoding !== 'gzip') {
    return Promise.reject(new HttpError(415, 'unsupported-content-encoding', `Content-Encoding "${encoding}" is not supported; send gzip or none`));
  }
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: maxBytes }, (error, decoded) => {
      if (!error) resolve(decoded);
      else if (error.code === 'ERR_BUFFER_TOO_LARGE') reject(new HttpError(413, 'decoded-too-large', `decompressed body is larger than ${maxBytes} bytes`));
      else reject(new HttpError(400, 'invalid-gzip', `body is not valid gzip: ${error.message}`));
    });
  });
}
