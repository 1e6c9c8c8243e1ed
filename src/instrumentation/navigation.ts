import type { Instrumentation } from '../lib/instrumentation';
import { listen } from '../core/context';
import { type IdleSpan, oncePerEvent, runListenersInIdleSpans, startIdleSpan } from '../lib/idle-span';
import { patch } from '../lib/patch';
import { safely } from '../lib/safely';
import { urlFull } from '../lib/url-full';

/** Settings of the navigation instrumentation: `init({ instrumentations: { navigation: { ... } } })`. */
export interface NavigationSettings {
  /** Longest a route change span waits for the work started during it, in ms. Default 10000. */
  maxDuration?: number;
}

/** The route changes the browser makes (the back and forward buttons, a link to an anchor). */
const BROWSER_EVENTS = ['popstate', 'hashchange'];

/**
 * Traces single-page-app route changes: `history.pushState`, `replaceState`, `popstate` and `hashchange` that
 * change the URL start a `routeChange` span, child of what was active (the click that navigated, say). It stays
 * open while the requests and interactions that follow are pending, and they join it (see lib/idle-span.ts).
 */
export const instrumentNavigation: Instrumentation<NavigationSettings> = ({ tracer, options }, { maxDuration = 10_000 }) => {
  let current = location.href;

  // Never lets tracing break the app's navigation.
  const changed = safely((type: string): IdleSpan | undefined => {
    if (current !== location.href) {
      current = location.href;
      const span = tracer._startScopedSpan('tracelet/navigation', 'routeChange', {
        // A change the app made (pushState) belongs to what it was doing, even after a native await; one the
        // browser made (back button) starts its own trace unless a span is active.
        parent: BROWSER_EVENTS.includes(type) ? tracer.activeSpan() ?? null : undefined,
        attributes: { 'url.full': urlFull(current, options), 'navigation.type': type },
      });
      return startIdleSpan('routeChange', span, maxDuration);
    }
  });
  // The route change each popstate or hashchange event started; the app's listeners for the event run in it.
  // Whichever sees the event first, our listener or one of the app's, starts it. Events of other types
  // (runListenersInIdleSpans asks about every event) start none.
  const routeChangeOf = oncePerEvent(BROWSER_EVENTS, (event) => changed(event.type));

  const wrap = (type: 'pushState' | 'replaceState') => {
    const original = history[type];
    return function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      changed(type);
      return result;
    };
  };
  const unpatch = patch(history, { pushState: wrap('pushState'), replaceState: wrap('replaceState') });
  const unlisten = listen(BROWSER_EVENTS, routeChangeOf);
  const stopListeners = runListenersInIdleSpans(routeChangeOf);

  return () => {
    if (stopListeners) stopListeners();
    unpatch();
    unlisten();
  };
};
