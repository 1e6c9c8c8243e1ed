import type { Instrumentation } from '../lib/instrumentation';
import { now } from '../core/clock';
import { SPAN_KEY, getZone, outsideSpans, spanOfError } from '../core/context';
import type { Span } from '../types';
import { safely } from '../lib/safely';

/**
 * Uncaught errors (`error` on window) and unhandled promise rejections, recorded as OpenTelemetry exceptions:
 * an `exception` event with `exception.type`, `exception.message` and `exception.stacktrace`, and an error
 * status. The error goes on the span it was thrown in (with zone.js, the span's Zone saw it thrown: see
 * `spanOfError`; a rejected promise carries the Zone it was rejected in), else on the span active when it is
 * reported; when there is none, on a new zero-length `exception` span. The page's own handlers
 * (`window.onerror`, other listeners) see every error as before: nothing is cancelled.
 */

/** Most errors recorded per page: a loop that throws on every frame must not crowd out every other span. */
const MAX_ERRORS = 100;

/** zone.js's hook for rejections of its promises, called with the reason (or, if the app asked zone.js to wrap reasons, an Error holding it). */
type RejectionHandler = (this: unknown, error: any) => void;

/**
 * Records uncaught errors and unhandled rejections (see the module comment). Settings: none. At most 100 per
 * page are recorded.
 */
export const instrumentErrors: Instrumentation = ({ tracer }) => {
  let count = 0;
  let muted = false;
  const record = safely((error: unknown, thrownIn?: Span) => {
    if (muted || ++count > MAX_ERRORS) return;
    const time = now();
    const active = thrownIn ?? spanOfError(error) ?? tracer.activeSpan();
    const span = active?.isRecording() ? active : tracer._startScopedSpan('tracelet/errors', 'exception', { startTime: time });
    span.recordException(error, time).setStatus('error', String((error as Error)?.message ?? error));
    if (span !== active) span.end(time);
  });
  // `error` is null for a script of another origin loaded without CORS ("Script error.") and for error events
  // dispatched by hand: the message is all there is then.
  const onError = (event: ErrorEvent) => record(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => record(event.reason);

  // With zone.js, `Promise` is zone.js's, whose unhandled rejections never reach `unhandledrejection` listeners:
  // zone.js fails to build the event (angular/angular#55590, #51357) and swallows the failure. Its own hook,
  // `Zone[__zone_symbol__unhandledPromiseRejectionHandler]`, is called every time, so tracelet wraps it. Where
  // zone.js does dispatch the event as well (when the app set `__zone_symbol__DISABLE_WRAPPING_UNCAUGHT_PROMISE_REJECTION`
  // to false, or once the bug is fixed), `muted` keeps the rejection from being recorded twice. The name is
  // quoted so that the bundles' mangling of `_` properties leaves it alone (rollup.config.mjs, keep_quoted).
  const Zone = getZone() as unknown as Record<string, RejectionHandler | undefined> | undefined;
  const key = '__zone_symbol__unhandledPromiseRejectionHandler';
  const original = Zone?.[key];
  const onZoneRejection: RejectionHandler = function (error) {
    record(error?.promise ? error.rejection : error, error?.zone?.get?.(SPAN_KEY));
    muted = true;
    try {
      original?.call(this, error);
    } finally {
      muted = false;
    }
  };
  if (Zone) Zone[key] = onZoneRejection;

  // Outside any span: zone.js would otherwise run them in the Zone of the span active at init(), and report
  // every later error on that span.
  outsideSpans(() => {
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
  });
  return () => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
    if (Zone?.[key] === onZoneRejection) Zone![key] = original;
  };
};
