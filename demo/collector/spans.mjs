// Turns an ExportTraceServiceRequest (JSON shape, already validated) into flat span records for the store and
// the viewer: ids in lower-case hex, times in milliseconds, attributes as plain values, kind and status as words.

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'];

/** An enum sent as a number or as its proto name (`SPAN_KIND_SERVER`), as a short word (`SERVER`). */
const enumWord = (value, words, prefix) =>
  typeof value === 'string' ? value.slice(prefix.length) : words[value ?? 0];

/**
 * Nanoseconds since the epoch (decimal string or number) to milliseconds. Kept to microsecond precision: the
 * nanosecond count itself is beyond Number's 2^53, the microsecond count is not.
 */
const nanosToMillis = (nanos) => Number(BigInt(nanos ?? 0) / 1000n) / 1000;

/** An AnyValue as the plain value it holds; null for an empty one. Unset members may be absent or null. */
function plainValue(anyValue) {
  const { stringValue, boolValue, intValue, doubleValue, bytesValue, arrayValue, kvlistValue } = anyValue ?? {};
  if (stringValue != null) return stringValue;
  if (boolValue != null) return boolValue;
  if (intValue != null) return Number.isSafeInteger(Number(intValue)) ? Number(intValue) : String(intValue);
  if (doubleValue != null) return Number(doubleValue);
  if (bytesValue != null) return bytesValue;
  if (arrayValue != null) return (arrayValue.values ?? []).map(plainValue);
  if (kvlistValue != null) return plainAttributes(kvlistValue.values);
  return null;
}

function plainAttributes(keyValues = []) {
  return Object.fromEntries((keyValues ?? []).map(({ key, value }) => [key, plainValue(value)]));
}

function flattenSpan(span, resource, scope, service) {
  const startMs = nanosToMillis(span.startTimeUnixNano);
  const endMs = nanosToMillis(span.endTimeUnixNano);
  return {
    traceId: span.traceId.toLowerCase(),
    spanId: span.spanId.toLowerCase(),
    parentSpanId: span.parentSpanId ? span.parentSpanId.toLowerCase() : undefined,
    name: span.name,
    kind: enumWord(span.kind, KINDS, 'SPAN_KIND_'),
    startMs,
    endMs,
    durationMs: Math.max(0, Math.round((endMs - startMs) * 1000) / 1000),
    attributes: plainAttributes(span.attributes),
    events: (span.events ?? []).map((event) => ({
      name: event.name ?? '',
      timeMs: nanosToMillis(event.timeUnixNano),
      attributes: plainAttributes(event.attributes),
    })),
    links: (span.links ?? []).map((link) => ({
      traceId: link.traceId.toLowerCase(),
      spanId: link.spanId.toLowerCase(),
      attributes: plainAttributes(link.attributes),
    })),
    status: {
      code: enumWord(span.status?.code, STATUS_CODES, 'STATUS_CODE_'),
      message: span.status?.message ?? '',
    },
    resource,
    scope,
    service,
  };
}

/** Every span of `request`, flattened, each carrying its resource attributes, scope and service.name. */
export function flattenSpans(request) {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const resource = plainAttributes(resourceSpans.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown_service');
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) => {
      const scope = { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version ?? '' };
      return (scopeSpans.spans ?? []).map((span) => flattenSpan(span, resource, scope, service));
    });
  });
}
