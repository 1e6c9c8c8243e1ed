import type { Attributes, Link, Span, SpanContext, SpanKind, SpanStatusCode } from '../types';
import { type AttributeSet, type SpanLimits, newAttributeSet, setAttribute, setAttributes } from './attributes';
import { elapsedNow, timeOr } from './clock';
import { validContext } from './propagation';

/** The attributes of every event recorded without any: an event's attributes never change once it is added. */
const NO_ATTRIBUTES = newAttributeSet();

/** An event recorded on a span. */
export interface SpanEvent {
  _name: string;
  _time: number;
  _attributes: AttributeSet;
}

/** A link as stored on a span. */
export interface SpanLink {
  _context: SpanContext;
  _attributes: AttributeSet;
}

/** What a span needs from the tracer that made it. */
export interface SpanOwner {
  _limits: SpanLimits;
  /** Called once when a sampled span ends. */
  _onEnd(span: RecordedSpan): void;
}

/**
 * A span as it is recorded and exported. Properties starting with `_` are private and mangled in the bundles;
 * {@link Span} is the public face.
 */
export class RecordedSpan implements Span {
  _attributes = newAttributeSet();
  _events: SpanEvent[] = [];
  _droppedEvents = 0;
  _links: SpanLink[] = [];
  _droppedLinks = 0;
  /** Undefined while unset. */
  _status?: Exclude<SpanStatusCode, 'unset'>;
  _message?: string;
  _end?: number;

  constructor(
    public name: string,
    readonly context: SpanContext,
    readonly _kind: SpanKind,
    readonly _parentId: string | undefined,
    readonly _start: number,
    /** The instrumentation scope the span is exported under, such as `tracelet/fetch`. */
    readonly _scope: string,
    /** Whether the span records anything: false for spans the sampler dropped, and once ended. */
    public _recording: boolean,
    readonly _owner: SpanOwner,
  ) {}

  isRecording(): boolean {
    return this._recording;
  }

  setAttribute(key: string, value: unknown): this {
    // Straight to the set: wrapping one attribute in an object for setAttributes costs an allocation and a
    // for-in on every attribute of every span.
    if (this._recording) setAttribute(this._attributes, key, value, this._owner._limits);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (this._recording) setAttributes(this._attributes, attributes, this._owner._limits);
    return this;
  }

  addEvent(name: string, attributes?: Attributes, time?: number): this {
    if (this._recording) {
      const limits = this._owner._limits;
      if (this._events.length >= limits.eventCount) this._droppedEvents++;
      else this._events.push({ _name: String(name), _time: timeOr(time, elapsedNow), _attributes: attributes ? setAttributes(newAttributeSet(), attributes, limits) : NO_ATTRIBUTES });
    }
    return this;
  }

  addLink(link: Link): this {
    if (this._recording) {
      const limits = this._owner._limits;
      // A link to no valid span (the context of a header that was missing, say) is dropped and counted: sent, it
      // would make the collector refuse the whole request.
      const context = validContext(link?.context);
      if (!context || this._links.length >= limits.linkCount) this._droppedLinks++;
      else this._links.push({ _context: context, _attributes: setAttributes(newAttributeSet(), link.attributes, limits) });
    }
    return this;
  }

  setStatus(code: SpanStatusCode, message?: string): this {
    // OpenTelemetry: `ok` is final, and `unset` never overrides a status already set.
    if (this._recording && this._status !== 'ok' && code !== 'unset') {
      this._status = code;
      this._message = code === 'error' && message != null ? String(message) : undefined;
    }
    return this;
  }

  updateName(name: string): this {
    if (this._recording) this.name = String(name);
    return this;
  }

  recordException(exception: unknown, time?: number): this {
    try {
      const error = (exception ?? {}) as { name?: unknown; message?: unknown; stack?: unknown; constructor?: { name?: string } };
      const isString = typeof exception === 'string';
      this.addEvent(
        'exception',
        {
          'exception.type': isString ? undefined : String(error.name || error.constructor?.name || typeof exception),
          'exception.message': isString ? exception : error.message === undefined ? String(exception) : String(error.message),
          'exception.stacktrace': typeof error.stack === 'string' ? error.stack : undefined,
        },
        time,
      );
    } catch {
      // An exception that cannot be read as text (an object without a prototype, a revoked Proxy): counted, not
      // thrown into the app's own error handling.
      this._droppedEvents++;
    }
    return this;
  }

  end(time?: number): void {
    if (!this._recording) return;
    this._recording = false;
    // The clock may have been re-anchored since the start (see clock.ts); a span never ends before it began.
    this._end = Math.max(timeOr(time, elapsedNow), this._start);
    this._owner._onEnd(this);
  }
}
