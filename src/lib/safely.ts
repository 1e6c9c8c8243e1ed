/**
 * `fn`, made unable to throw: what it returns, or undefined if it threw. Instrumentation code that runs in the
 * page's own events, timers, observers and patched APIs is wrapped in it: a bug in tracing, or an odd value from
 * the page, must never become an error of the page.
 */
export const safely =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (...args: A): R | undefined => {
    try {
      return fn(...args);
    } catch {
      // Tracing gives up on this one event; the page goes on.
    }
  };
