import type { Span, SpanContext } from '../types';
import type { Instrumentation } from '../lib/instrumentation';
import { toEpochMs } from '../core/clock';
import { outsideSpans } from '../core/context';
import { parseTraceParent } from '../core/propagation';
import { REQUEST_PHASES, addPhaseEvents, entryAttributes } from '../lib/resource-timing';
import { serverTimingContext } from '../lib/server-timing';
import { safely } from '../lib/safely';
import { urlFull } from '../lib/url-full';
import { matchesAny } from '../lib/urls';

/**
 * Page loads: a `documentLoad` span from navigation start to the end of the load event, with the navigation
 * timing milestones as events, a `documentFetch` child for the document's own request, and a `resourceFetch`
 * child per resource the page loaded before the load event. Everything comes from the Navigation and Resource
 * Timing entries, so `init()` may run at any time: before the load event the span is finished when it fires,
 * after it at once.
 */

/** The document's request phases, then its milestones after it, in the order they happen (Navigation Timing Level 2). */
const DOCUMENT_PHASES = [
  ...REQUEST_PHASES,
  'domInteractive',
  'domContentLoadedEventStart',
  'domContentLoadedEventEnd',
  'domComplete',
  'loadEventStart',
  'loadEventEnd',
];

/** Starts the documentLoad span, while page-load tracing runs and the span has not been started yet. */
let startPageSpan: (() => Span) | undefined;
let pageSpan: Span | undefined;
/** Whether this page's load has been recorded: once per page, also after shutdown() and a new init(). */
let recorded: boolean | undefined;

/**
 * The span context of this page's `documentLoad` span, so that other spans of the page load (web vitals, long
 * tasks during the load) join its trace; undefined when page-load tracing is off. Asking for it before the
 * load event starts the span, which then ends with the load event as usual.
 */
export const pageLoadSpanContext = (): SpanContext | undefined => (pageSpan ??= startPageSpan?.())?.context;

/** This page's navigation timing entry. */
export const navigationEntry = (): PerformanceNavigationTiming | undefined =>
  performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name=${name}]`)?.content;

/**
 * Traces the page load (see the module comment). Settings: none. The documentLoad span's parent is the server
 * span the document announced, in `<meta name="traceparent">` (with `<meta name="tracestate">`) or in a
 * `Server-Timing: traceparent;desc="00-..."` header of the document response, so that the page load joins the
 * server's trace; otherwise it starts a new trace. Requests made by fetch or XHR after `init()` are traced by
 * those instrumentations and not repeated as resourceFetch spans; the collector and `ignoreUrls` are left out.
 */
export const instrumentPageLoad: Instrumentation = ({ tracer, options }) => {
  // Recorded already: its documentLoad stays the parent of the page's later vitals.
  if (recorded) return () => {};
  const since = performance.now();
  const nav = navigationEntry();
  const href = urlFull(nav?.name ?? location.href, options);
  // init() has made the endpoint absolute already.
  const excluded = options.endpoint ? [...options.ignoreUrls, options.endpoint] : options.ignoreUrls;
  let timer: ReturnType<typeof setTimeout> | undefined;

  pageSpan = undefined;
  startPageSpan = () =>
    tracer._startScopedSpan('tracelet/page-load', 'documentLoad', {
      // Navigation start is the time origin of the page.
      startTime: toEpochMs(0),
      parent: parseTraceParent(meta('traceparent'), meta('tracestate')) ?? serverTimingContext(nav) ?? null,
      attributes: { 'url.full': href },
    });

  /** Starts a child of documentLoad for a request's timing entry, with its phases, and ends it. */
  const child = (parent: Span, name: string, entry: PerformanceResourceTiming, start: number, href?: string) => {
    const span = tracer._startScopedSpan('tracelet/page-load', name, {
      startTime: toEpochMs(start),
      parent,
      attributes: { 'url.full': href, ...entryAttributes(entry) },
    });
    addPhaseEvents(span, entry);
    span.end(toEpochMs(entry.responseEnd));
  };

  const finish = () => {
    const span = (pageSpan ??= startPageSpan?.());
    startPageSpan = undefined;
    if (!span) return;
    // Read again: the entry taken at init() may be a snapshot from before the load event.
    const nav = navigationEntry();
    const loadEnd = nav?.loadEventEnd || performance.now();
    if (nav) {
      addPhaseEvents(span, nav, DOCUMENT_PHASES);
      child(span, 'documentFetch', nav, nav.fetchStart, href);
    }
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      if (
        entry.startTime < loadEnd &&
        // Requests made after init() by fetch and XHR have spans of their own.
        !(/^(fetch|xmlhttprequest)$/.test(entry.initiatorType) && entry.startTime > since) &&
        !matchesAny(entry.name, excluded)
      ) {
        child(span, 'resourceFetch', entry, entry.startTime, urlFull(entry.name, options));
      }
    }
    span.end(toEpochMs(loadEnd));
    recorded = true;
  };

  // loadEventEnd is only set once every load listener has returned, so the span ends in the next task. The
  // listener and timer are outside any span: they must neither join nor hold open the span active at init().
  const onLoad = () => {
    timer = setTimeout(safely(finish));
  };
  outsideSpans(() => (document.readyState === 'complete' ? onLoad() : addEventListener('load', onLoad)));

  return () => {
    removeEventListener('load', onLoad);
    clearTimeout(timer);
    // Spans already sent (FCP, TTFB) may name documentLoad as their parent: stopped before the load event, it ends
    // now with what the page has loaded so far, rather than never.
    if (pageSpan && !recorded) safely(finish)();
    startPageSpan = undefined;
    if (!recorded) pageSpan = undefined;
  };
};
