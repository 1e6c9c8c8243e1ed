import type { Span } from '../types';

/**
 * The active span. With zone.js on the page it lives in a Zone forked per active span, and zone.js carries it
 * through timers, promise callbacks, event listeners and XHR/fetch callbacks. Without zone.js only synchronous
 * code inside `withSpan` sees it.
 *
 * Zone is looked up when used, never at import: the page's own Zone (Angular loads one) is reused as it is,
 * and zone.js may be loaded after this module.
 */

/** The part of a zone.js ZoneSpec tracelet uses. */
export interface ZoneSpecLike {
  name: string;
  properties: Record<string, unknown>;
  onHandleError?(delegate: { handleError(target: ZoneLike, error: unknown): boolean }, current: ZoneLike, target: ZoneLike, error: unknown): boolean;
  onHasTask?(delegate: { hasTask(target: ZoneLike, state: TaskState): void }, current: ZoneLike, target: ZoneLike, state: TaskState): void;
}

/** Which kinds of task a zone has pending. */
export interface TaskState {
  microTask: boolean;
  macroTask: boolean;
  eventTask: boolean;
}

/** The part of a zone.js Zone tracelet uses. */
export interface ZoneLike {
  get(key: string): unknown;
  fork(spec: ZoneSpecLike): ZoneLike;
  run<T>(fn: (...args: any[]) => T, applyThis?: unknown, applyArgs?: unknown[]): T;
  readonly parent: ZoneLike | null;
  readonly name: string;
}

interface ZoneStatic {
  readonly current: ZoneLike;
  /** The zone.js task running now; none in code zone.js did not schedule, such as after a native `await`. */
  readonly currentTask: unknown;
  readonly root: ZoneLike;
  readonly prototype: ZoneLike;
}

/** The Zone property holding the active span. */
export const SPAN_KEY = 'tracelet.span';

/** The span whose Zone each error was thrown in, for the errors instrumentation. */
const errorSpans = new WeakMap<object, Span>();

/**
 * The span active where `error` was thrown, when zone.js saw it thrown in a span's Zone. (A WeakMap answers
 * undefined for a key that is not an object, such as a thrown string.)
 */
export const spanOfError = (error: unknown): Span | undefined => errorSpans.get(error as object);

/**
 * A ZoneSpec making `span` active. Errors thrown in the Zone (or one forked from it) are remembered with their
 * span before zone.js hands them on: by the time the browser reports them, the Zone has been left.
 */
export const spanZoneSpec = (name: string, span: Span, properties?: Record<string, unknown>): ZoneSpecLike => ({
  name,
  properties: { ...properties, [SPAN_KEY]: span },
  onHandleError(delegate, _current, target, error) {
    if (error && typeof error === 'object' && !errorSpans.has(error)) errorSpans.set(error, target.get(SPAN_KEY) as Span);
    return delegate.handleError(target, error);
  },
});

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

const runWithoutZone = <T>(fn: () => T, span?: Span): T => {
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
  return zone ? zone.current.fork(spanZoneSpec('tracelet', span)).run(fn) : runWithoutZone(fn, span);
};

let ownZone: ZoneLike | undefined;

/**
 * Runs `fn` outside every span. With zone.js it runs in a Zone of tracelet's own, forked from the root: nothing it
 * schedules carries a span, and the listeners it adds (web-vitals' own, say) can be told from the page's.
 */
export const outsideSpans = <T>(fn: () => T): T => {
  const zone = getZone();
  return zone ? (ownZone ??= zone.root.fork({ name: 'tracelet', properties: {} })).run(fn) : runWithoutZone(fn);
};

/** Whether `zone` is the one {@link outsideSpans} runs code in. */
export const isOwnZone = (zone: unknown): boolean => zone === ownZone;

/** `setTimeout(fn, ms)` outside any span (see {@link outsideSpans}). */
export const later = (fn: () => void, ms?: number): ReturnType<typeof setTimeout> => outsideSpans(() => setTimeout(fn, ms));

/**
 * Adds `listener` on the window for each event type of `types`, in the capture phase, and returns the function
 * that removes them.
 */
export const listen = (types: readonly string[], listener: (event: Event) => void): (() => void) => {
  for (const type of types) addEventListener(type, listener, true);
  return () => {
    for (const type of types) removeEventListener(type, listener, true);
  };
};
