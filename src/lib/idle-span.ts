import type { Span } from '../types';
import { now } from '../core/clock';
import { spanZoneSpec, type ZoneLike, getZone, isOwnZone, later, listen, outsideSpans } from '../core/context';
import { safely } from './safely';

/**
 * Idle spans: spans that stay open while the work they started is pending, and end when it has settled, or after
 * `maxDuration`. Interactions and route changes are idle spans, so a click's span lasts as long as the requests
 * and timers its handler started, not just as long as the handler ran.
 *
 * Work is seen two ways. With zone.js, the idle span's Zone reports when its timers, XHRs and promise callbacks
 * (and those of every Zone forked from it) are all done. fetch and XHR also hold the idle span open themselves,
 * which covers requests started where the Zone lost track: after a native `await`, zone.js cannot follow the
 * code, and the request then belongs to the newest open idle span, if every open one is in the same trace (a
 * route change inside a click, say). When idle spans of different traces are open, guessing could hand one
 * interaction's requests to another, so none adopts them.
 */

const IDLE_KEY = 'tracelet.idle';

/** An open idle span and what it waits for. */
export interface IdleSpan {
  _span: Span;
  /** What the span stands for, such as `interaction` or `routeChange`. */
  _kind: string;
  /**
   * What keeps it open: Zones (the idle span's own and those forked from it) with timers or promise callbacks
   * pending, and one token per fetch/XHR hold not yet released.
   */
  _busy: Set<object>;
  /** When the last piece of work settled: the span's end. */
  _lastSettled: number;
  _check?: ReturnType<typeof setTimeout>;
}

/** How long an idle span waits, once its work has settled, for more to start before it ends (ms). */
const QUIET_MS = 100;

let open: IdleSpan[] = [];
/** The pagehide listener's remover, once the first idle span has added it: set, it says the listener is there. */
let unlistenPagehide: (() => void) | undefined;

// Ends the span at `time`, by default now. Its timers may still fire afterwards, and then find it no longer open.
const finish = (idle: IdleSpan, time = now()) => {
  if (open.includes(idle)) {
    open = open.filter((other) => other !== idle);
    idle._span.end(time);
  }
};

/**
 * Looks again a little later, because work often continues after a gap no Zone sees: code after a native
 * `await`, or a callback waiting for a response body (`response.json()`). The span still ends when the last
 * work settled.
 */
const checkSoon = (idle: IdleSpan) => {
  idle._lastSettled = now();
  clearTimeout(idle._check);
  idle._check = later(() => {
    if (!idle._busy.size) finish(idle, idle._lastSettled);
  }, QUIET_MS);
};

/** Opens an idle span of `kind` for `span`, ending it when its work settles or after `maxDuration` ms. */
export const startIdleSpan = (kind: string, span: Span, maxDuration: number): IdleSpan => {
  // Its `_lastSettled` is set by checkSoon(), below, before anything can read it.
  const idle = { _span: span, _kind: kind, _busy: new Set() } as IdleSpan;
  later(() => finish(idle), maxDuration);
  open.push(idle);
  // An interaction that navigates away (a link, a form post) ends with the page, and is sent with the rest.
  // finish() replaces `open` with a new array: this goes through every span open at the event.
  unlistenPagehide ??= outsideSpans(() => listen(['pagehide'], () => open.forEach((idle) => finish(idle))));
  checkSoon(idle);
  return idle;
};

/**
 * A Zone, forked from `parent`, in which `idle`'s span is active and whose pending tasks keep it open.
 * Run the work that belongs to the idle span in it.
 */
export const idleZone = (parent: ZoneLike, idle: IdleSpan): ZoneLike =>
  parent.fork({
    ...spanZoneSpec(IDLE_KEY, idle._span, { [IDLE_KEY]: idle }),
    onHasTask(delegate, _current, target, state) {
      delegate.hasTask(target, state);
      if (state.macroTask || state.microTask) {
        idle._busy.add(target);
      } else if (idle._busy.delete(target)) {
        checkSoon(idle);
      }
    },
  });

interface EventTask {
  type: string;
  /** zone.js's own field, quoted so the bundles' property mangling leaves it alone. */
  ['_zone']: ZoneLike;
}

type ZoneProto = ZoneLike & { runTask(task: EventTask, applyThis?: unknown, applyArgs?: unknown[]): unknown };

/** Finds the idle span an event belongs to, creating it if need be; undefined for events not traced. */
export type EventResolver = (event: Event) => IdleSpan | undefined;

/**
 * An {@link EventResolver} that calls `start` once per event whose type is one of `types`, and gives every later
 * caller for the same event (our listener or one of the app's, whichever sees it first) what that call returned;
 * undefined for events of other types.
 */
export const oncePerEvent = (types: readonly string[], start: (event: Event) => IdleSpan | undefined): EventResolver => {
  const byEvent = new WeakMap<Event, IdleSpan | undefined>();
  return (event) => {
    if (types.includes(event.type)) {
      if (!byEvent.has(event)) byEvent.set(event, start(event));
      return byEvent.get(event);
    }
  };
};

const resolvers: EventResolver[] = [];
let originalRunTask: ZoneProto['runTask'] | undefined;

/**
 * Makes the page's own listeners for the events `resolver` accepts run in the idle span's Zone, so that what
 * they schedule carries the span, as OpenTelemetry's user-interaction instrumentation does. With zone.js every
 * listener runs as an event task, through `Zone.prototype.runTask`, which is wrapped while any resolver is
 * registered. Returns the function that unregisters `resolver`; false without zone.js.
 */
export const runListenersInIdleSpans = (resolver: EventResolver): false | (() => void) => {
  const Zone = getZone();
  if (!Zone) return false;
  const proto = Zone.prototype as ZoneProto;
  if (!originalRunTask) {
    const runTask = (originalRunTask = proto.runTask);
    proto.runTask = function (this: ZoneLike, task: EventTask, applyThis?: unknown, applyArgs?: unknown[]) {
      const event = applyArgs?.[0];
      let idle: IdleSpan | undefined;
      // Listeners tracelet added itself, and web-vitals through it, are not the page's: they start no interaction.
      if (task.type === 'eventTask' && event instanceof Event && !isOwnZone(this)) for (const r of resolvers) if ((idle = r(event))) break;
      if (!idle) return runTask.call(this, task, applyThis, applyArgs);
      // zone.js runs a task only in the zone that scheduled it; the task's zone is swapped for the run.
      const zone = idleZone(this, idle);
      task['_zone'] = zone;
      try {
        return runTask.call(zone, task, applyThis, applyArgs);
      } finally {
        task['_zone'] = this;
      }
    };
  }
  // A resolver that fails (on settings of the wrong type, say) must not keep the page's listener from running.
  const safeResolver = safely(resolver);
  resolvers.push(safeResolver);
  return () => {
    resolvers.splice(resolvers.indexOf(safeResolver), 1);
    if (!resolvers.length && originalRunTask) {
      proto.runTask = originalRunTask;
      originalRunTask = undefined;
    }
  };
};

/**
 * The newest open idle span, when every open one is in its trace, for work the Zone lost track of. Only code that
 * runs outside any zone.js task is such work (a native `await` continuation): code in another task, such as a
 * listener for an event that is not traced or a poller's timer, is unrelated, and must not join an interaction.
 */
const adopter = (): IdleSpan | undefined => {
  const newest = open[open.length - 1];
  // The cheap checks first: this runs for every span started with no active span.
  if (newest && !getZone()?.currentTask && open.every((idle) => idle._span.context.traceId === newest._span.context.traceId)) return newest;
};

/** The idle span that work starting now belongs to: the one of the current Zone, else the adopting one. */
export const currentIdleSpan = (): IdleSpan | undefined => {
  const fromZone = getZone()?.current.get(IDLE_KEY) as IdleSpan | undefined;
  return fromZone && open.includes(fromZone) ? fromZone : adopter();
};

/** Keeps the current idle span, if any, open until the returned function is called (once). */
export const holdIdleSpan = (): (() => void) => {
  const idle = currentIdleSpan();
  // A token of its own, so that releasing twice releases once.
  const hold = {};
  idle?._busy.add(hold);
  return () => {
    if (idle?._busy.delete(hold)) checkSoon(idle);
  };
};

/** The parent for work the Zone lost track of: the newest open idle span, when every open one is in its trace. */
export const adoptingSpan = (): Span | undefined => adopter()?._span;

/** The newest open idle span of `kind`, if any. */
export const newestIdleSpan = (kind: string): IdleSpan | undefined => open.filter((idle) => idle._kind === kind).pop();
