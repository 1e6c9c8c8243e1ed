import type { Attributes, Span, SpanContext, SpanOptions, Tracer } from '../types';
import type { SpanLimits } from './attributes';
import { timeOr } from './clock';
import { activeSpan, withSpan } from './context';
import { newSpanId, newTraceId } from './ids';
import { validContext } from './propagation';
import { isSampled } from './sampler';
import { RecordedSpan } from './span';

/** What a tracer is made of: see `init()` for where each part comes from. */
export interface TracerConfig {
  /** Probability, 0 to 1, that a new trace is recorded. */
  _sampleRate: number;
  _limits: SpanLimits;
  /** Receives every sampled span as it ends. */
  _onEnd(span: RecordedSpan): void;
  /** Attributes stamped on every recorded span as it starts, such as `session.id`. */
  _startAttributes?(): Record<string, string | undefined>;
  /**
   * The parent for a span started when no span is active, if any. Interactions use it to adopt work that the
   * Zone lost track of, such as a request started after a native `await`.
   */
  _fallbackParent?(): Span | undefined;
}

/** A tracer plus what instrumentations need beyond the public API. */
export interface InternalTracer extends Tracer {
  /** Starts a span exported under the instrumentation scope `scope`. */
  _startScopedSpan(scope: string, name: string, options?: SpanOptions): RecordedSpan;
}

const contextOf = (parent: Span | SpanContext | null | undefined): SpanContext | null | undefined =>
  parent && ((parent as Span).context ?? (parent as SpanContext));

/** Creates a tracer. Spans it starts are handed to `config.onEnd` when they end. */
export const createTracer = (config: TracerConfig): InternalTracer => {
  const startScopedSpan = (scope: string, name: string, options: SpanOptions = {}): RecordedSpan => {
    // A parent the app names is checked: one with invalid ids starts a new trace, as a malformed traceparent does.
    const parent = options.parent === undefined ? contextOf(activeSpan() ?? config._fallbackParent?.()) : validContext(contextOf(options.parent));
    const traceId = parent ? parent.traceId : newTraceId();
    const sampled = isSampled(traceId, parent, config._sampleRate);
    const span = new RecordedSpan(
      String(name),
      { traceId, spanId: newSpanId(), traceFlags: +sampled, traceState: parent?.traceState },
      options.kind ?? 'internal',
      parent?.spanId,
      timeOr(options.startTime),
      scope,
      sampled,
      config,
    );
    if (sampled) {
      // setAttributes takes undefined as no attributes.
      span.setAttributes(config._startAttributes?.() as Attributes).setAttributes(options.attributes as Attributes);
      for (const link of options.links ?? []) span.addLink(link);
    }
    return span;
  };

  const startActiveSpan = <T>(name: string, optionsOrFn: SpanOptions | ((span: Span) => T), maybeFn?: (span: Span) => T): T => {
    const fn = (maybeFn ?? optionsOrFn) as (span: Span) => T;
    const span = startScopedSpan('tracelet', name, maybeFn ? (optionsOrFn as SpanOptions) : undefined);
    return withSpan(span, () => fn(span));
  };

  return {
    _startScopedSpan: startScopedSpan,
    startSpan: (name, options) => startScopedSpan('tracelet', name, options),
    startActiveSpan,
    activeSpan,
    withSpan,
  };
};
