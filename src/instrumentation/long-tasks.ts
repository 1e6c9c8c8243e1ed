import type { Instrumentation } from '../lib/instrumentation';
import { toEpochMs } from '../core/clock';
import { safely } from '../lib/safely';
import { urlFull } from '../lib/url-full';
import { navigationEntry, pageLoadSpanContext } from './page-load';

/**
 * Long tasks: one span per long animation frame (`long-animation-frame`, Chromium 123+), which says which
 * script kept the main thread busy. The older Long Tasks API, which says nothing of the script, is not used:
 * the browsers that have it and not long animation frames are Chromium before 123. Spans have the frame's real
 * start and end. Those during the page load
 * join its trace (children of `documentLoad`); later ones are children of the active span or of an interaction
 * still open, if any, else their own trace.
 *
 * Attribution (long animation frames only) comes from the frame's longest script, with the name Sentry's
 * browser SDK uses for the invoker and OpenTelemetry's `code.*` attributes: `browser.script.invoker` (such as
 * `BUTTON#buy.onclick` or `TimerHandler:setTimeout`), `code.file.path` (redacted as `url.full` is),
 * `code.function.name` and `browser.script.duration` (ms). See https://w3c.github.io/long-animation-frames/.
 * With zone.js on the page, callbacks zone.js wraps (timers, listeners) are attributed to zone.js's file and
 * function, since the browser names the function it called; the invoker still says what ran.
 */

/** Settings of {@link instrumentLongTasks}. */
export interface LongTaskSettings {
  /** Shortest frame or task recorded, in ms. Browsers report none under 50 ms. Default 50. */
  threshold?: number;
}

/** Start of the latest frame recorded: a new init() observes the buffered frames again, which are not repeated. */
let recordedUntil = -1;

interface LongEntry extends PerformanceEntry {
  scripts?: Array<{
    duration: number;
    invoker: string;
    sourceURL: string;
    sourceFunctionName: string;
  }>;
}

/** Records long animation frames or long tasks (see the module comment). Settings: {@link LongTaskSettings}. */
export const instrumentLongTasks: Instrumentation<LongTaskSettings> = ({ tracer, options }, { threshold = 50 }) => {
  const type = 'long-animation-frame';
  if (!PerformanceObserver.supportedEntryTypes.includes(type)) return () => {};
  const observer = new PerformanceObserver(
    safely((list: PerformanceObserverEntryList) => {
      const loadEnd = navigationEntry()?.loadEventEnd;
      for (const { startTime, duration, scripts } of list.getEntries() as LongEntry[]) {
        const script = scripts?.reduce((a, b) => (b.duration > a.duration ? b : a), scripts[0]);
        if (duration >= threshold && startTime > recordedUntil) {
          recordedUntil = startTime;
          tracer
            ._startScopedSpan('tracelet/long-tasks', 'longAnimationFrame', {
              startTime: toEpochMs(startTime),
              parent: !loadEnd || startTime < loadEnd ? pageLoadSpanContext() : undefined,
              attributes: {
                'browser.script.invoker': script?.invoker,
                'browser.script.duration': script?.duration,
                'code.file.path': urlFull(script?.sourceURL, options),
                'code.function.name': script?.sourceFunctionName || undefined,
              },
            })
            .end(toEpochMs(startTime + duration));
        }
      }
    }),
  );
  // Buffered: frames and tasks from before init(), the page load's among them, are reported too.
  observer.observe({ type, buffered: true });
  return () => observer.disconnect();
};
