export { init, getTracelet } from './init';
export type { Tracelet } from './init';
export type { TraceletOptions, UrlPattern } from './options';
export type { SpanLimits } from './core/attributes';
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
