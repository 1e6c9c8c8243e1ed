import type { Attributes } from '../types';
import type { InstrumentationContext } from './instrumentation';
import { now, toEpochMs } from '../core/clock';
import { outsideSpans } from '../core/context';
import { formatTraceParent } from '../core/propagation';
import { warn } from '../core/warn';
import { holdIdleSpan } from './idle-span';
import { addPhaseEvents, entryAttributes, timingOf, trackRequest } from './resource-timing';
import { serverTimingContext } from './server-timing';
import { urlFull } from './url-full';
import { absoluteUrl, matchesAny } from './urls';

/**
 * What fetch and XHR tracing share: which requests are traced and which get `traceparent`, the CLIENT span with
 * its HTTP attributes, and its end, with timings from the request's own resource timing entry.
 */

/**
 * Origins whose server refused our trace headers (a failed CORS preflight), and URLs of the page's own origin
 * that redirected to such a server (see refuseUrl): they get none for the rest of the page.
 */
const refused = new Set<string>();
/** Origins that answered a request carrying our trace headers: a later failure there is the network's, no refusal. */
const acceptedOrigins = new Set<string>();

/** A traced request in flight. */
export interface HttpRequest {
  _url: URL;
  /** Headers to add to the request, as name-value pairs, when it may carry trace context. */
  _headers?: Array<[string, string]>;
  /** Ends the request's span with the HTTP status (0: it failed; undefined: not known) and the error, if any. */
  _finish(status: number | undefined, error?: unknown): void;
}

/**
 * Starts tracing a request to `input` with `method`, or returns undefined when it is not traced (the collector,
 * `ignoreUrls`, an invalid URL).
 */
export const startRequest = ({ tracer, options }: InstrumentationContext, scope: string, method: string, input: unknown): HttpRequest | undefined => {
  const url = absoluteUrl(input);
  if (!url || (options.endpoint && url.href.startsWith(options.endpoint)) || matchesAny(url.href, options.ignoreUrls)) {
    return undefined;
  }
  // fetch and XHR send these six in capitals whatever their case (the Fetch standard's "normalize a method");
  // any other method goes as written, and is reported as written only if it is known.
  method = String(method);
  const sent = /^(delete|get|head|options|post|put)$/i.test(method) ? method.toUpperCase() : method;
  const known = options.knownMethods.includes(sent);
  const span = tracer._startScopedSpan(scope, known ? sent : 'HTTP', {
    kind: 'client',
    attributes: {
      'http.request.method': known ? sent : '_OTHER',
      'http.request.method_original': known ? undefined : sent,
      'url.full': urlFull(url, options),
      'server.address': url.hostname,
      'server.port': +url.port || (url.protocol === 'https:' ? 443 : 80),
    },
  });
  let headers: Array<[string, string]> | undefined;
  if (url.origin === location.origin ? !refused.has(url.href) : !refused.has(url.origin) && matchesAny(url.href, options.propagateTo)) {
    headers = [['traceparent', formatTraceParent(span.context)]];
    if (span.context.traceState) headers.push(['tracestate', span.context.traceState]);
  }
  const release = holdIdleSpan();
  const timing = outsideSpans(() => trackRequest(url.href));

  const finish = (status: number | undefined, error?: unknown) => {
    release();
    if (headers && status) acceptedOrigins.add(url.origin);
    const end = now();
    const failed = error !== undefined;
    // A request that failed with no error to name (status 0) has none: `Error` either way.
    const errorType = failed || status === 0 ? (error as Error)?.name || 'Error' : status! >= 400 ? String(status) : undefined;
    span.setAttributes({ 'http.response.status_code': status || undefined, 'error.type': errorType });
    if (errorType) span.setStatus('error', failed ? String((error as Error)?.message ?? error) : undefined);
    // The timing entry arrives a little after the response; waiting for it happens outside the page's Zones, so
    // that it keeps no interaction open.
    outsideSpans(() =>
      timingOf(timing, (entry) => {
        if (entry) {
          addPhaseEvents(span, entry);
          span.setAttributes(entryAttributes(entry));
          const server = serverTimingContext(entry);
          if (server) span.addLink({ context: server });
        }
        span.end(entry?.responseEnd ? toEpochMs(entry.responseEnd) : end);
      }),
    );
  };
  return { _url: url, _headers: headers, _finish: finish };
};

/**
 * Called when a request that carried trace headers to another origin failed as a refused CORS preflight does:
 * stops sending them there, and says so once.
 */
export const refuseOrigin = ({ origin }: URL): void => {
  // Offline every request fails, and where our headers were answered before a failure is the network's: neither
  // says the server refuses them. The page's own origin refuses nothing (see refuseUrl).
  if (!navigator.onLine || origin === location.origin || refused.has(origin) || acceptedOrigins.has(origin)) return;
  refused.add(origin);
  warn(`${origin} refused traceparent: add traceparent, tracestate to its Access-Control-Allow-Headers.`);
};

/**
 * Called when a request to the page's own origin failed with trace headers and then succeeded without them: it
 * was redirected to another origin that refuses them (a download from a storage bucket, say). That URL gets none
 * for the rest of the page.
 */
export const refuseUrl = ({ href }: URL): void => {
  refused.add(href);
};
