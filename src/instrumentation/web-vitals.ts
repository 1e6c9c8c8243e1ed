import { type MetricType, onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import type { Instrumentation } from '../lib/instrumentation';
import { now, toEpochMs } from '../core/clock';
import { outsideSpans } from '../core/context';
import { safely } from '../lib/safely';
import { selectorOf } from '../lib/selector';
import { navigationEntry, pageLoadSpanContext } from './page-load';

/**
 * Core Web Vitals as spans: LCP, INP, CLS, FCP and TTFB, measured by Google's `web-vitals` package (its plain
 * build: the attribution build costs 2 KB more, and the one attribution we need, an element selector, comes from
 * the metric's own entries).
 *
 * Each value web-vitals reports is one span named after the metric, in the page load's trace (a child of
 * `documentLoad`). Time-based metrics span exactly their value, so that span durations are the metric: LCP, FCP
 * and TTFB run from navigation start (activation start for a prerendered page, the restore for a page from the
 * back/forward cache) to the moment measured; INP runs from the interaction's start for its latency. CLS has no
 * time: its span covers the layout shifts of the worst session window, or is a point in time when there were
 * none.
 */

const SCOPE = 'tracelet/web-vitals';

/** Where web-vitals' reports go: the running instance's report, a no-op once stopped; unset until first set up. */
let reportTo: ((metric: MetricType) => void) | undefined;

/**
 * Records web vitals (see the module comment). Settings: none. web-vitals reports FCP and TTFB once known, LCP
 * at the first input (or when the page is hidden first), CLS and INP when the page is hidden (again, with a
 * delta, if they grew while it was shown again); spans that end while the page is hidden leave at once.
 */
export const instrumentWebVitals: Instrumentation = ({ tracer }) => {
  const report = safely((metric: MetricType) => {
    const { name, entries, value, navigationType } = metric as MetricType & { name: string; entries: Array<PerformanceEntry & Record<string, any>> };
    const first = entries[0];
    const last = entries[entries.length - 1];
    const isINP = name === 'INP';
    const isCLS = name === 'CLS';
    // INP runs from its interaction's start and CLS from its first shift; the others from the time web-vitals
    // measures from: navigation start, activation start for a prerendered page, or the back/forward cache restore.
    const start =
      (isINP || isCLS) && first
        ? toEpochMs(first.startTime)
        : isCLS
          ? now()
          : toEpochMs(
              metric.navigationStartTime ||
                (navigationEntry() as { activationStart?: number } | undefined)?.activationStart ||
                0,
            );
    tracer
      ._startScopedSpan(SCOPE, name, {
        startTime: start,
        // A page restored from the back/forward cache is a new visit, possibly hours later: its own trace.
        parent: (navigationType !== 'back-forward-cache' && pageLoadSpanContext()) || null,
        // OpenTelemetry's `browser.web_vital.*` attributes (the name in lower case); values are always doubles
        // (otlp-json.ts), so that a backend keeps one type per attribute.
        attributes: {
          'browser.web_vital.name': name.toLowerCase(),
          'browser.web_vital.value': value,
          'browser.web_vital.rating': metric.rating,
          'browser.web_vital.delta': metric.delta,
          'browser.web_vital.id': metric.id,
          'browser.web_vital.navigation_type': navigationType,
          // Not in the conventions, so in tracelet's own namespace. CLS: the first element that the largest shift
          // of the window moved. INP: an interaction's events share one latency; the first with a target names
          // the element. LCP: the element painted.
          'tracelet.web_vital.target': selectorOf(
            isCLS
              ? entries.reduce((a, b) => (b.value > a.value ? b : a), last)?.sources.find((s: { node?: Node }) => s.node?.nodeType === 1)?.node
              : isINP
                ? entries.find((e) => e.target)?.target
                : last?.element,
          ),
        },
      })
      // CLS ends with the last shift of the window (a point in time when there were none).
      .end(isCLS ? (last ? toEpochMs(last.startTime) : start) : start + value);
  });

  // web-vitals listens from its first call on, and has no way to stop: it is set up once per page, and reports to
  // the running instance, if any. So after shutdown() and a new init(), what it reported already (FCP, TTFB) is
  // not reported again. Its listeners, observers and timers are set up outside any span, so none of them joins or
  // holds one open.
  if (!reportTo) {
    outsideSpans(() => {
      for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on((metric) => reportTo!(metric));
    });
  }
  reportTo = report;
  return () => {
    if (reportTo === report) reportTo = () => {};
  };
};
