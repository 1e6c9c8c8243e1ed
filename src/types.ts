/** A span attribute value: a primitive, or an array of one primitive type (nulls allowed in arrays). */
export type AttributeValue =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/** Span or resource attributes. Keys follow OpenTelemetry semantic conventions where one applies. */
export type Attributes = Record<string, AttributeValue | undefined>;

/** What a span stands for, as in OpenTelemetry. */
export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** Span status: `unset` (the default), `ok`, or `error` with a message. */
export type SpanStatusCode = 'unset' | 'ok' | 'error';

/** The ids that tie a span into a trace, as carried by W3C `traceparent`/`tracestate`. */
export interface SpanContext {
  /** 32 lower-case hex characters. */
  readonly traceId: string;
  /** 16 lower-case hex characters. */
  readonly spanId: string;
  /** W3C trace flags; bit 0 (`1`) means sampled. */
  readonly traceFlags: number;
  /** The W3C `tracestate` header value, when there is one. */
  readonly traceState?: string;
  /** True when this context came from another process (a `traceparent` header or `<meta>` tag). */
  readonly isRemote?: boolean;
}

/** A link from a span to another span, in this trace or another. */
export interface Link {
  context: SpanContext;
  attributes?: Attributes;
}

/** Options for {@link Tracer.startSpan} and {@link Tracer.startActiveSpan}. */
export interface SpanOptions {
  /** Default `'internal'`. */
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** Start time in epoch milliseconds (as `Date.now()`, fractions allowed). Default: now. */
  startTime?: number;
  /**
   * The parent: a span, a span context (for example from {@link extractTraceContext}), or `null` to start a new
   * trace. Default: the active span of the current context.
   */
  parent?: Span | SpanContext | null;
}

/** A span: one timed operation in a trace. Every method is safe to call after `end()`; it then does nothing. */
export interface Span {
  /** The ids that identify this span; pass them to other services to continue the trace. */
  readonly context: SpanContext;
  /** The span's name. */
  readonly name: string;
  /** True until `end()` is called, for sampled spans. Unsampled spans record nothing. */
  isRecording(): boolean;
  /** Sets one attribute. Values of other types are dropped and counted on the span. */
  setAttribute(key: string, value: AttributeValue | undefined): this;
  /** Sets several attributes. */
  setAttributes(attributes: Attributes): this;
  /** Adds a timed event. `time` is in epoch milliseconds; default now. */
  addEvent(name: string, attributes?: Attributes, time?: number): this;
  /** Adds a link to another span. */
  addLink(link: Link): this;
  /** Sets the status. An `error` status keeps its message; `ok` cannot be changed back to `error`. */
  setStatus(code: SpanStatusCode, message?: string): this;
  /** Renames the span. */
  updateName(name: string): this;
  /**
   * Records an exception as an `exception` event (exception.type, exception.message, exception.stacktrace).
   * It does not set the status: call `setStatus('error', ...)` as well when the operation failed.
   */
  recordException(exception: unknown, time?: number): this;
  /** Ends the span. Only the first call counts. `time` is in epoch milliseconds; default now. */
  end(time?: number): void;
}

/** Creates spans and runs code with a span active. */
export interface Tracer {
  /** Starts a span. It is not made active: use {@link Tracer.startActiveSpan} or {@link Tracer.withSpan} for that. */
  startSpan(name: string, options?: SpanOptions): Span;
  /**
   * Starts a span and runs `fn` with it active, returning what `fn` returns. Spans started inside `fn`, and in the
   * timers, promise callbacks, event listeners and request callbacks it schedules, are its children (with zone.js
   * on the page; without it, only synchronous code). `fn` must end the span.
   */
  startActiveSpan<T>(name: string, fn: (span: Span) => T): T;
  startActiveSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T;
  /** The active span of the current context, if any. */
  activeSpan(): Span | undefined;
  /** Runs `fn` with `span` active. */
  withSpan<T>(span: Span, fn: () => T): T;
}
