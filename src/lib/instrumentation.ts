import type { InternalTracer } from '../core/tracer';
import type { ResolvedOptions } from '../options';

/** What every instrumentation is given when tracing starts. */
export interface InstrumentationContext {
  tracer: InternalTracer;
  /** `init()`'s options with defaults applied (propagateTo, ignoreUrls, endpoint, ...). */
  options: ResolvedOptions;
}

/**
 * An instrumentation: starts tracing one kind of operation when called, and returns the function that stops it,
 * undoing every patch and listener. `settings` are its own options from `init({ instrumentations: { name } })`,
 * `{}` when it was just switched on.
 */
export type Instrumentation<Settings = Record<string, unknown>> = (context: InstrumentationContext, settings: Settings) => () => void;
