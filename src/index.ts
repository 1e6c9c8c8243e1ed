import { initWith, type Tracelet } from './init';
import type { TraceletOptions } from './options';
import { ALL_INSTRUMENTATIONS } from './instrumentations';

/**
 * Starts tracing the page with every instrumentation (each can be switched off or configured through
 * `options.instrumentations`). Call it once, as early as you can; later calls return the running instance and
 * warn. It never throws: bad options are reported on the console and replaced by their defaults.
 *
 * @example
 * const tracelet = init({ serviceName: 'shop-web', endpoint: 'https://otel.example.com/v1/traces' });
 * tracelet.tracer.startActiveSpan('checkout', (span) => { ...; span.end(); });
 */
export const init = (options: TraceletOptions): Tracelet => initWith(options, ALL_INSTRUMENTATIONS);

export { initWith, getTracelet } from './init';
export type { Tracelet } from './init';
export type { InstrumentationName, InstrumentationOptions, TraceletOptions, UrlPattern } from './options';
export type { InteractionSettings } from './instrumentation/interactions';
export type { LongTaskSettings } from './instrumentation/long-tasks';
export type { NavigationSettings } from './instrumentation/navigation';
export type { SpanLimits } from './core/attributes';
export type { Instrumentation, InstrumentationContext } from './lib/instrumentation';
export type {
  AttributeValue,
  Attributes,
  Link,
  Span,
  SpanContext,
  SpanKind,
  SpanOptions,
  SpanStatusCode,
  Tracer,
} from './types';
export { parseTraceParent as extractTraceContext, formatTraceParent } from './core/propagation';
export { parseBaggage, formatBaggage, type Baggage } from './core/baggage';
export { instrumentErrors } from './instrumentation/errors';
export { instrumentFetch } from './instrumentation/fetch';
export { instrumentInteractions } from './instrumentation/interactions';
export { instrumentLongTasks } from './instrumentation/long-tasks';
export { instrumentNavigation } from './instrumentation/navigation';
export { instrumentPageLoad } from './instrumentation/page-load';
export { instrumentWebVitals } from './instrumentation/web-vitals';
export { instrumentXhr } from './instrumentation/xhr';
