// Forwards accepted requests, byte for byte, to another OTLP/HTTP endpoint (an OpenTelemetry Collector, Jaeger,
// Tempo, Uptrace...). Runs beside the answer to the browser, never before it: a slow or failing upstream must not
// hold up or fail the page's export.

const TIMEOUT_MS = 10_000;

/** `authorization=Bearer x,foo=bar` (the OTEL_EXPORTER_OTLP_HEADERS format, values percent-decoded) to an object. */
export function parseHeaderList(text = '') {
  const headers = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const value = pair.slice(at + 1).trim();
    try {
      headers[pair.slice(0, at).trim().toLowerCase()] = decodeURIComponent(value);
    } catch {
      headers[pair.slice(0, at).trim().toLowerCase()] = value;
    }
  }
  return headers;
}

/** `onSettled` is called after each forward, sent or failed. */
export function createForwarder({ url, headers = {}, log = console, onSettled }) {
  const counts = { forwarded: 0, failed: 0, lastError: '' };
  const aborter = new AbortController();

  function forward(body, contentType, contentEncoding) {
    const sent = { 'content-type': contentType, ...(contentEncoding && { 'content-encoding': contentEncoding }), ...headers };
    const signal = AbortSignal.any([aborter.signal, AbortSignal.timeout(TIMEOUT_MS)]);
    fetch(url, { method: 'POST', body, headers: sent, signal })
      .then(async (response) => {
        // Read the answer to the end so the connection can be reused.
        const text = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status} ${text.slice(0, 200)}`);
        counts.forwarded++;
      })
      .catch((error) => {
        if (aborter.signal.aborted) return;
        counts.failed++;
        counts.lastError = error.message;
        log.warn(`collector: forwarding to ${url} failed: ${error.cause?.message ?? error.message}`);
      })
      .finally(onSettled);
  }

  return { url, counts, forward, close: () => aborter.abort() };
}
