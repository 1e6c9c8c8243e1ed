/**
 * One POST of a request to the collector, and the answer that decides whether to retry it.
 */

/** How a request was answered: an HTTP status (0 for a network error) and the delay the server asked for (ms). */
export interface Answer {
  _status: number;
  _retryAfter?: number;
}

/** Statuses after which OTLP/HTTP clients retry (OTLP specification, "Retryable response codes"). */
export const isRetryable = (status: number): boolean => [0, 429, 502, 503, 504].includes(status);

/**
 * Milliseconds a `Retry-After` header asks to wait, if it gives seconds, as collectors do (an HTTP date is rare
 * there, and falls back to the exponential backoff).
 */
export const parseRetryAfter = (header: string | null): number | undefined =>
  // No header (null) reads as the text "null", which is no number either.
  /^\s*\d+\s*$/.test(header as string) ? +header! * 1000 : undefined;

/** How long a request may take before it is given up and retried: a collector that never answers would
 * otherwise hold its share of the keepalive quota, and `flush()`, forever. */
const TIMEOUT_MS = 30_000;

/**
 * POSTs `payload` with `fetch`. The response body is always read, errors included: Chromium holds a keepalive
 * request's share of the 64 KiB quota until then, and later requests would fail with "Failed to fetch".
 * Never rejects: a network error or a timeout answers status 0.
 */
export const post = (
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  payload: Uint8Array,
  keepalive: boolean,
): Promise<Answer> =>
  // `mode` is `cors` by default.
  fetchFn(url, {
    method: 'POST',
    headers,
    body: payload as Uint8Array<ArrayBuffer>,
    keepalive,
    credentials: 'omit',
    // Safari before 16 has no AbortSignal.timeout: its requests wait as long as the browser lets them.
    signal: AbortSignal.timeout?.(TIMEOUT_MS),
  }).then(
    (response) => {
      const answer = { _status: response.status, _retryAfter: parseRetryAfter(response.headers.get('retry-after')) };
      const done = () => answer;
      return response.arrayBuffer().then(done, done);
    },
    () => ({ _status: 0 }),
  );
