/**
 * One POST of a request to the collector, and the answer that decides whether to retry it.
 */

/** How a request was answered: an HTTP status (0 for a network error) and the delay the server asked for (ms). */
export interface Answer {
  status: number;
  retryAfter?: number;
}

/** Statuses after which OTLP/HTTP clients retry (OTLP specification, "Retryable response codes"). */
export const isRetryable = (status: number): boolean =>
  status === 0 || status === 429 || status === 502 || status === 503 || status === 504;

/** Milliseconds until the time a `Retry-After` header names (seconds, or an HTTP date), if it names one. */
export const parseRetryAfter = (header: string | null): number | undefined => {
  if (!header) return undefined;
  const ms = /^\s*\d+\s*$/.test(header) ? +header * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
};

/**
 * POSTs `payload` with `fetch`. The response body is always read, errors included: Chromium holds a keepalive
 * request's share of the 64 KiB quota until then, and later requests would fail with "Failed to fetch".
 * Never rejects.
 */
export const post = (
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  payload: Uint8Array,
  keepalive: boolean,
): Promise<Answer> =>
  fetchFn(url, { method: 'POST', headers, body: payload as Uint8Array<ArrayBuffer>, keepalive, credentials: 'omit', mode: 'cors' }).then(
    (response) => {
      const answer = { status: response.status, retryAfter: parseRetryAfter(response.headers.get('retry-after')) };
      return response.arrayBuffer().then(
        () => answer,
        () => answer,
      );
    },
    () => ({ status: 0 }),
  );
