import type { Span } from '../types';

/**
 * The active span. With zone.js on the page it lives in a Zone forked per active span, and zone.js carries it
 * through timers, promise callbacks, event listeners and XHR/fetch callbacks. Without zone.js only synchronous
 * code inside `withSpan` sees it.
 *
 * Zone is looked up when used, never at import: the page's own Zone (Angular loads one) is reused as it is,
 * and zone.js may be loaded after this module.
 */

interface ZoneLike {
  get(key: string): unknown;
  fork(spec: { name: string; properties: Record<string, unknown> }): ZoneLike;
  run<T>(fn: (...args: any[]) => T, applyThis?: unknown, applyArgs?: unknown[]): T;
  readonly parent: ZoneLike | null;
  readonly name: string;
}

interface ZoneStatic {
  readonly current: ZoneLike;
  readonly root: ZoneLike;
}

const SPAN_KEY = 'tracelet.span';

let syncActive: Span | undefined;

/** The page's zone.js `Zone`, if one is loaded. */
export const getZone = (): ZoneStatic | undefined => {
  const zone = (globalThis as { Zone?: ZoneStatic }).Zone;
  return zone && zone.current ? zone : undefined;
};

/** The span active in the current context. */
export const activeSpan = (): Span | undefined => {
  const zone = getZone();
  return zone ? (zone.current.get(SPAN_KEY) as Span | undefined) : syncActive;
};

const runWithoutZone = <T>(span: Span | undefined, fn: () => T): T => {
  const previous = syncActive;
  syncActive = span;
  try {
    return fn();
  } finally {
    syncActive = previous;
  }
};

/** Runs `fn` with `span` active; with zone.js, everything `fn` schedules keeps it active too. */
export const withSpan = <T>(span: Span, fn: () => T): T => {
  const zone = getZone();
  return zone ? zone.current.fork({ name: 'tracelet', properties: { [SPAN_KEY]: span } }).run(fn) : runWithoutZone(span, fn);
};

/**
 * Runs `fn` in the root Zone, outside any span. The exporter's timers and requests run here, so they neither
 * become children of the span that happened to be active nor keep an interaction open.
 */
export const outsideSpans = <T>(fn: () => T): T => {
  const zone = getZone();
  return zone ? zone.root.run(fn) : runWithoutZone(undefined, fn);
};
