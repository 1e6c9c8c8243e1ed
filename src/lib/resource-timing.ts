import type { Attributes, Span } from '../types';
import { toEpochMs } from '../core/clock';

/**
 * Matches each request to its own `PerformanceResourceTiming` entry, and turns entries into span events and
 * attributes. Requests register when they start; an entry goes to the open request for the same URL that
 * started last before the entry did, so overlapping requests to one URL each get their own timings. A
 * PerformanceObserver is used, not `getEntries`, because the page's buffer fills up (250 entries in Chrome,
 * 150 in Safari) while observers keep receiving entries.
 */

/** A request waiting for its timing entry. */
export interface TrackedRequest {
  _url: string;
  _start: number;
  _entry?: PerformanceResourceTiming;
  _done?: (entry?: PerformanceResourceTiming) => void;
}

/** Phases of a request, as OpenTelemetry's web instrumentations name their events. */
export const REQUEST_PHASES = 'fetchStart domainLookupStart domainLookupEnd connectStart secureConnectionStart connectEnd requestStart responseStart responseEnd'.split(' ');

/** Longest wait for a finished request's timing entry (ms): a streamed or aborted response may never get one. */
const MAX_WAIT_MS = 2000;

let observer: PerformanceObserver | undefined;
let open: TrackedRequest[] = [];
/** Finished requests whose span waits for the timing entry, and who waits for them all. */
let waiting = 0;
let whenSettled: Array<() => void> = [];

const settle = (request: TrackedRequest, entry?: PerformanceResourceTiming) => {
  request._entry = entry;
  open = open.filter((r) => r !== request);
  request._done?.(entry);
};

const assign = (entry: PerformanceResourceTiming) => {
  // `open` is in start order. Timers are coarse, so when no request seems to have started before the entry,
  // the earliest one owns it.
  const candidates = open.filter((request) => request._url === entry.name);
  const owner = candidates.filter((request) => request._start <= entry.startTime).pop() ?? candidates[0];
  if (owner) settle(owner, entry);
};

/** Registers a request as it starts; call {@link timingOf} when it has finished. */
export const trackRequest = (url: string): TrackedRequest => {
  // Without PerformanceObserver (the constructor throws), or without `resource` entries (observe throws),
  // requests go untracked and get no timings.
  if (!observer) {
    try {
      observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => assign(e as PerformanceResourceTiming)));
      observer.observe({ type: 'resource' });
    } catch {
      observer = undefined;
    }
  }
  const request: TrackedRequest = { _url: url, _start: performance.now() };
  if (observer) open.push(request);
  return request;
};

/**
 * Calls `then` with the request's timing entry once the browser has reported it, or with undefined after
 * {@link MAX_WAIT_MS}.
 */
export const timingOf = (request: TrackedRequest, then: (entry?: PerformanceResourceTiming) => void): void => {
  // Settled already (by its entry, or never tracked for want of an observer).
  if (!open.includes(request)) return then(request._entry);
  waiting++;
  const timer = setTimeout(() => settle(request), MAX_WAIT_MS);
  request._done = (entry) => {
    clearTimeout(timer);
    then(entry);
    if (!--waiting) for (const resolve of whenSettled.splice(0)) resolve();
  };
};

/** Resolves when no finished request waits for its timing entry any more, so that `flush()` includes them. */
export const timingsSettled = (): Promise<void> =>
  new Promise((resolve) => (waiting ? whenSettled.push(resolve) : resolve()));

/** Stops matching; pending requests get no entry. */
export const stopTracking = (): void => {
  observer?.disconnect();
  observer = undefined;
  open.slice().forEach((request) => settle(request));
};

/** Adds one event per request phase the entry knows (cross-origin entries without Timing-Allow-Origin know few). */
export const addPhaseEvents = (span: Span, entry: PerformanceResourceTiming, phases: readonly string[] = REQUEST_PHASES): void => {
  for (const phase of phases) {
    const time = (entry as unknown as Record<string, number>)[phase];
    if (time) span.addEvent(phase, undefined, toEpochMs(time));
  }
};

/** Sizes and protocol from an entry, as OpenTelemetry HTTP attributes. */
export const entryAttributes = (entry: PerformanceResourceTiming): Attributes => {
  const [name, version] = (entry.nextHopProtocol || '').split('/');
  // `h2` and `h3` are HTTP/2 and HTTP/3.
  const http = /^h([23])$/.exec(name);
  return {
    'http.response.body.size': entry.encodedBodySize || undefined,
    'network.protocol.name': http ? 'http' : name || undefined,
    'network.protocol.version': http ? http[1] : version,
  };
};
