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

const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
const STATUS = { unset: 0, ok: 1, error: 2 } as const;

type AnyValue = Record<string, unknown>;

const anyValue = (value: AttributeValue | null | undefined): AnyValue => {
  if (value == null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return { intValue: String(value) };
    // proto3 JSON writes non-finite doubles as the strings "NaN", "Infinity" and "-Infinity".
    return { doubleValue: Number.isFinite(value) ? value : String(value) };
  }
  return { arrayValue: { values: (value as Array<AttributeValue | null>).map(anyValue) } };
};

/** OTLP `KeyValue` list for plain attributes; undefined values are left out. */
export const keyValues = (attributes: Attributes): Array<{ key: string; value: AnyValue }> => {
  const list = [];
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) list.push({ key, value: anyValue(value) });
  }
  return list;
};

const withAttributes = (target: Record<string, unknown>, set: AttributeSet) => {
  if (set.count) target.attributes = keyValues(set.values);
  if (set.dropped) target.droppedAttributesCount = set.dropped;
  return target;
};

/** One span as OTLP JSON text. */
export const encodeSpan = (span: RecordedSpan): string => {
  const { traceId, spanId, traceState } = span.context;
  const out: Record<string, unknown> = { traceId, spanId };
  if (traceState) out.traceState = traceState;
  if (span._parentId) out.parentSpanId = span._parentId;
  out.name = span.name;
  out.kind = KIND[span._kind] ?? 1;
  out.startTimeUnixNano = toNanos(span._start);
  out.endTimeUnixNano = toNanos(span._end ?? span._start);
  withAttributes(out, span._attributes);
  if (span._events.length) {
    out.events = span._events.map((event) => withAttributes({ timeUnixNano: toNanos(event.time), name: event.name }, event.attributes));
  }
  if (span._droppedEvents) out.droppedEventsCount = span._droppedEvents;
  if (span._links.length) {
    out.links = span._links.map(({ context, attributes }) =>
      withAttributes({ traceId: context.traceId, spanId: context.spanId, traceState: context.traceState }, attributes),
    );
  }
  if (span._droppedLinks) out.droppedLinksCount = span._droppedLinks;
  if (span._status !== 'unset') out.status = { code: STATUS[span._status], message: span._message };
  return JSON.stringify(out);
};

/** A span ready to be put in a request: its scope and its JSON text. */
export interface EncodedSpan {
  scope: string;
  json: string;
}

/**
 * An `ExportTraceServiceRequest` as JSON text: one resource, spans grouped by instrumentation scope.
 * `scopeAttributes` are written on the `tracelet` scope; the exporter reports its drop counts there.
 */
export const encodeRequest = (resourceJson: string, spans: EncodedSpan[], scopeAttributes?: Attributes): string => {
  const version = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
  const byScope: Record<string, string[]> = {};
  if (scopeAttributes) byScope.tracelet = [];
  for (const { scope, json } of spans) (byScope[scope] ??= []).push(json);
  const scopes = Object.keys(byScope).map((name) => {
    const scope: Record<string, unknown> = { name, version };
    if (name === 'tracelet' && scopeAttributes) scope.attributes = keyValues(scopeAttributes);
    return `{"scope":${JSON.stringify(scope)},"spans":[${byScope[name].join(',')}]}`;
  });
  return `{"resourceSpans":[{"resource":${resourceJson},"scopeSpans":[${scopes.join(',')}]}]}`;
};

/** The resource as OTLP JSON text, encoded once per page. */
export const encodeResource = (attributes: Attributes): string => JSON.stringify({ attributes: keyValues(attributes) });
