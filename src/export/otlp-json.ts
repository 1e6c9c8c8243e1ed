import type { AttributeValue, Attributes } from '../types';
import { toNanos } from '../core/clock';
import type { AttributeSet } from '../core/attributes';
import type { RecordedSpan } from '../core/span';

/**
 * OTLP/HTTP JSON encoding of spans (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): ids as
 * hex, 64-bit integers as decimal strings, enums as numbers, fields with default values left out.
 */

/** Version of the library, written into the instrumentation scope; replaced at build time. */
declare const __VERSION__: string;

// OTLP's SpanKind numbers, from 1.
const KINDS = 'internal server client producer consumer'.split(' ');

type AnyValue = Record<string, unknown>;

/**
 * An OTLP `AnyValue`; whole numbers are integers, except a web vital's value and delta (attribute `key`), which
 * are doubles even when whole (LCP 204 ms, CLS 0), so that a backend keeps one type per attribute.
 */
const anyValue = (value: AttributeValue | null | undefined, key?: string): AnyValue => {
  if (value == null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !key?.startsWith('browser.web_vital')) return { intValue: String(value) };
    // proto3 JSON writes non-finite doubles as the strings "NaN", "Infinity" and "-Infinity".
    return { doubleValue: isFinite(value) ? value : String(value) };
  }
  return { arrayValue: { values: (value as Array<AttributeValue | null>).map((item) => anyValue(item)) } };
};

/** OTLP `KeyValue` list for plain attributes; undefined values are left out. */
export const keyValues = (attributes: Attributes): Array<{ key: string; value: AnyValue }> => {
  const list = [];
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) list.push({ key, value: anyValue(value, key) });
  }
  return list;
};

const nonEmpty = <T>(list: T[]) => (list.length ? list : undefined);

// Fields with default values (0, empty) are left out: JSON.stringify skips those set to undefined.
const attributeFields = (set: AttributeSet) => ({
  attributes: nonEmpty(keyValues(set._values)),
  droppedAttributesCount: set._dropped || undefined,
});

/** One span as OTLP JSON text. */
export const encodeSpan = (span: RecordedSpan): string => {
  const context = span.context;
  return JSON.stringify({
    traceId: context.traceId,
    spanId: context.spanId,
    traceState: context.traceState || undefined,
    parentSpanId: span._parentId || undefined,
    name: span.name,
    kind: KINDS.indexOf(span._kind) + 1 || 1,
    startTimeUnixNano: toNanos(span._start),
    endTimeUnixNano: toNanos(span._end ?? span._start),
    ...attributeFields(span._attributes),
    events: nonEmpty(span._events.map((event) => ({ timeUnixNano: toNanos(event._time), name: event._name, ...attributeFields(event._attributes) }))),
    droppedEventsCount: span._droppedEvents || undefined,
    links: nonEmpty(
      span._links.map(({ _context: context, _attributes }) => ({
        traceId: context.traceId,
        spanId: context.spanId,
        traceState: context.traceState,
        ...attributeFields(_attributes),
      })),
    ),
    droppedLinksCount: span._droppedLinks || undefined,
    // Status codes: 1 ok, 2 error (0, unset, is left out).
    status: span._status && { code: span._status === 'ok' ? 1 : 2, message: span._message },
  });
};

/** A span ready to be put in a request: its scope and its JSON text. */
export interface EncodedSpan {
  _scope: string;
  _json: string;
}

/**
 * An `ExportTraceServiceRequest` as JSON text: one resource, spans grouped by instrumentation scope.
 * `scopeAttributes` are written on the `tracelet` scope; the exporter reports its drop counts there.
 */
export const encodeRequest = (resourceJson: string, spans: EncodedSpan[], scopeAttributes?: Attributes): string => {
  const version = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
  const byScope: Record<string, string[]> = {};
  if (scopeAttributes) byScope.tracelet = [];
  for (const { _scope, _json } of spans) (byScope[_scope] ??= []).push(_json);
  // JSON.stringify leaves out `attributes` when undefined.
  const scopes = Object.keys(byScope).map(
    (name) =>
      `{"scope":${JSON.stringify({ name, version, attributes: name === 'tracelet' && scopeAttributes ? keyValues(scopeAttributes) : undefined })},"spans":[${byScope[name].join(',')}]}`,
  );
  return `{"resourceSpans":[{"resource":${resourceJson},"scopeSpans":[${scopes.join(',')}]}]}`;
};

/** The resource as OTLP JSON text, encoded once per page. */
export const encodeResource = (attributes: Attributes): string => JSON.stringify({ attributes: keyValues(attributes) });
