import type { Instrumentation } from '../lib/instrumentation';
import { toEpochMs } from '../core/clock';
import { listen } from '../core/context';
import { newestIdleSpan, oncePerEvent, runListenersInIdleSpans, startIdleSpan } from '../lib/idle-span';
import { selectorOf } from '../lib/selector';

/** Settings of the interactions instrumentation: `init({ instrumentations: { interactions: { ... } } })`. */
export interface InteractionSettings {
  /** Event types traced. Default `['click', 'submit']`. */
  events?: string[];
  /** Longest an interaction span waits for the work its handlers started, in ms. Default 10000. */
  maxDuration?: number;
}

/**
 * Traces user interactions: an INTERNAL span per event (named after its type, such as `click`), with the target
 * described by tag and a short CSS selector, never its text. The span stays open while the work its handlers
 * started is pending (see lib/idle-span.ts) and becomes the parent of that work. A route change in progress is
 * the parent of interactions during it; otherwise each interaction starts a trace.
 *
 * With zone.js, the page's listeners for a traced event run in the interaction's Zone, so what they schedule
 * carries the span; events without a listener make no span. Without zone.js, a capture listener on the window
 * starts a span for every traced event, and requests started while it is open join it.
 */
export const instrumentInteractions: Instrumentation<InteractionSettings> = (
  { tracer },
  { events = ['click', 'submit'], maxDuration = 10_000 },
) => {
  // Read on every event of the page: a wrong type would fail there, so it fails here, with a warning.
  if (!Array.isArray(events)) throw new TypeError('events must be an array of strings');

  // runListenersInIdleSpans asks about every event: only the traced types start an interaction.
  const interactionOf = oncePerEvent(events, (event) => {
    const target = event.target as Element | null;
    const span = tracer._startScopedSpan('tracelet/interactions', event.type, {
      startTime: event.timeStamp ? toEpochMs(event.timeStamp) : undefined,
      parent: newestIdleSpan('routeChange')?._span ?? null,
      attributes: { event_type: event.type, target_element: target?.localName, target_selector: selectorOf(target) },
    });
    return startIdleSpan('interaction', span, maxDuration);
  });

  return (
    runListenersInIdleSpans(interactionOf) ||
    // addEventListener ignores what a listener returns.
    listen(events, interactionOf)
  );
};
