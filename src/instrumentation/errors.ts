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
 * (`window.onerror`, other listeners) see every error as before: nothing is cancelled. With zone.js, whose
 * promises the browser never reports, tracelet has the browser fire `unhandledrejection` for them (below).
 */

/** The native `Promise`, which zone.js keeps there when it replaces it. */
declare const __zone_symbol__Promise: PromiseConstructor;

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
  const record = safely((error: unknown, thrownIn?: Span) => {
    if (++count > MAX_ERRORS) return;
    const time = now();
    const active = thrownIn ?? spanOfError(error) ?? tracer.activeSpan();
    const span = active?.isRecording() ? active : tracer._startScopedSpan('tracelet/errors', 'exception', { startTime: time });
    // An error status comes with `error.type` (semantic conventions): the error's name, as for requests.
    span
      .recordException(error, time)
      .setStatus('error', String((error as Error)?.message ?? error))
      .setAttribute('error.type', (error as Error)?.name || 'Error');
    if (span !== active) span.end(time);
  });
  // `error` is null for a script of another origin loaded without CORS ("Script error.") and for error events
  // dispatched by hand: the message is all there is then.
  const onError = (event: ErrorEvent) => record(event.error ?? event.message);

  // With zone.js, `Promise` is zone.js's, whose unhandled rejections the browser never sees: zone.js calls its
  // hook, `Zone[__zone_symbol__unhandledPromiseRejectionHandler]`, with each instead, so tracelet wraps the hook
  // and records the rejection there, on the span of the Zone it was rejected in. zone.js's own handler on the hook
  // means to fire `unhandledrejection` but, given the bare reason (zone.js's default), fails to build the event
  // (angular/angular#55590) and swallows the failure: the page's listeners never run. So tracelet rejects a native
  // promise (zone.js keeps the native `Promise` as `__zone_symbol__Promise`) with the same reason and leaves it
  // unhandled, and the browser fires a real, cancelable `unhandledrejection` for it, as without zone.js. The
  // bundle with zone.js does this from the moment it loads and marks the Zone `__zone_symbol__unhandledrejection`
  // (rollup.config.mjs): tracelet then leaves it to that. Where the app set zone.js's
  // `__zone_symbol__DISABLE_WRAPPING_UNCAUGHT_PROMISE_REJECTION` to false, the hook gets an Error holding the
  // promise, and zone.js's handler, building its event from that promise, makes the browser fire one: tracelet
  // adds none. Either way, tracelet's listener skips the event of a rejection it recorded at the hook. It knows the
  // browser's event for the native promise by that promise, which the bundle with zone.js also keeps (in a WeakSet,
  // its marker, read at each rejection: a copy of the bundle may load after init()), so that a listener of the page
  // stopping the event leaves nothing behind. The event zone.js's handler causes carries a promise made for it, so
  // there only the reason tells, kept until its event comes (the last 100 of them, should events be stopped). The
  // property names are quoted so that the bundles' mangling of `_` properties leaves them alone (keep_quoted).
  const Zone = getZone() as unknown as Record<string, any> | undefined;
  const key = '__zone_symbol__unhandledPromiseRejectionHandler';
  const original: RejectionHandler | undefined = Zone?.[key];
  const rejectedByBundle = (): { has?(promise: object): boolean } | undefined => Zone?.['__zone_symbol__unhandledrejection'];
  const rejected = new WeakSet<object>();
  const wrappedReasons: unknown[] = [];
  const onZoneRejection: RejectionHandler = function (error) {
    // zone.js's Error holds the reason, the promise and the Zone; a reason of the app's own that has a `promise`
    // property is not one.
    const wrapped = error?.promise && error.zone && 'rejection' in error;
    const reason = wrapped ? error.rejection : error;
    record(reason, wrapped ? error.zone.get(SPAN_KEY) : undefined);
    if (wrapped) {
      if (wrappedReasons.push(reason) > MAX_ERRORS) wrappedReasons.shift();
    } else if (!rejectedByBundle()) rejected.add(__zone_symbol__Promise.reject(reason));
    original?.call(this, error);
  };
  if (Zone) Zone[key] = onZoneRejection;
  const onRejection = (event: PromiseRejectionEvent) => {
    const i = wrappedReasons.indexOf(event.reason);
    if (i >= 0) wrappedReasons.splice(i, 1);
    else if (!(rejected.has(event.promise) || rejectedByBundle()?.has?.(event.promise))) record(event.reason);
  };

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
