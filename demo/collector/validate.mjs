// Checks that a decoded request (from JSON, or from protobuf via otlp-proto.mjs) is a well-formed
// ExportTraceServiceRequest, with the strictness of the OpenTelemetry Collector plus the checks the W3C Trace
// Context spec implies: ids of the right length, in hex, not all zero. Unknown keys are ignored, as the OTLP spec
// asks of JSON receivers. Throws an Error whose message names the offending field by its path.

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
// proto3 JSON allows these strings for doubles.
const DOUBLE_WORDS = new Set(['NaN', 'Infinity', '-Infinity']);

const fail = (path, problem) => {
  throw new Error(`${path}: ${problem}`);
};

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

function object(value, path) {
  if (!isObject(value)) fail(path, 'must be an object');
  return value;
}

/** An optional repeated field: checks each element with `check`. */
function list(value, path, check) {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) fail(path, 'must be an array');
  value.forEach((item, index) => check(item, `${path}[${index}]`));
}

function optional(value, path, check) {
  if (value !== undefined && value !== null) check(value, path);
}

function string(value, path) {
  if (typeof value !== 'string') fail(path, 'must be a string');
}

function uint32(value, path) {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) fail(path, 'must be an unsigned 32-bit integer');
}

// proto3 JSON writes 64-bit integers as decimal strings but accepts numbers too.
function int64(value, path, { unsigned = false } = {}) {
  const ok = typeof value === 'number' ? Number.isInteger(value) : typeof value === 'string' && /^-?\d{1,20}$/.test(value);
  if (!ok) fail(path, 'must be an integer, as a number or a decimal string');
  const big = BigInt(value);
  if (unsigned ? big < 0n || big >= 2n ** 64n : big < -(2n ** 63n) || big >= 2n ** 63n) fail(path, 'is out of range');
}

function requiredTime(value, path) {
  if (value === undefined || value === null) fail(path, 'is required');
  int64(value, path, { unsigned: true });
  if (BigInt(value) === 0n) fail(path, 'must not be zero');
}

function enumValue(names) {
  return (value, path) => {
    if (Number.isInteger(value) ? value < 0 || value >= names.length : !names.includes(value)) {
      fail(path, `must be one of ${names.join(', ')} or its number`);
    }
  };
}

/** A trace id (16 bytes) or span id (8 bytes) in hex; `optional` ids may be absent or empty (no parent). */
function id(bytes, { required = true } = {}) {
  return (value, path) => {
    if (value === undefined || value === null || value === '') {
      if (required) fail(path, 'is required');
      return;
    }
    if (typeof value !== 'string' || value.length !== bytes * 2 || !/^[0-9a-f]+$/i.test(value)) {
      fail(path, `must be ${bytes * 2} hex characters (${bytes} bytes)`);
    }
    if (/^0+$/.test(value)) fail(path, 'must not be all zeros');
  };
}

function anyValue(value, path) {
  object(value, path);
  const set = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue']
    .filter((key) => value[key] !== undefined && value[key] !== null);
  if (set.length > 1) fail(path, `has more than one value (${set.join(', ')})`);
  const [key] = set;
  if (!key) return; // an empty AnyValue is allowed: it stands for an unset value
  const inner = value[key];
  const at = `${path}.${key}`;
  if (key === 'stringValue') string(inner, at);
  if (key === 'boolValue' && typeof inner !== 'boolean') fail(at, 'must be a boolean');
  if (key === 'intValue') int64(inner, at);
  if (key === 'doubleValue' && typeof inner !== 'number' && !DOUBLE_WORDS.has(inner)) fail(at, 'must be a number');
  if (key === 'arrayValue') list(object(inner, at).values, `${at}.values`, anyValue);
  if (key === 'kvlistValue') list(object(inner, at).values, `${at}.values`, keyValue);
  if (key === 'bytesValue' && (typeof inner !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(inner))) fail(at, 'must be base64');
}

function keyValue(value, path) {
  object(value, path);
  string(value.key, `${path}.key`);
  optional(value.value, `${path}.value`, anyValue);
}

function attributes(value, path) {
  list(value.attributes, `${path}.attributes`, keyValue);
  optional(value.droppedAttributesCount, `${path}.droppedAttributesCount`, uint32);
}

function event(value, path) {
  object(value, path);
  optional(value.timeUnixNano, `${path}.timeUnixNano`, (time, at) => int64(time, at, { unsigned: true }));
  optional(value.name, `${path}.name`, string);
  attributes(value, path);
}

function link(value, path) {
  object(value, path);
  id(16)(value.traceId, `${path}.traceId`);
  id(8)(value.spanId, `${path}.spanId`);
  optional(value.traceState, `${path}.traceState`, string);
  optional(value.flags, `${path}.flags`, uint32);
  attributes(value, path);
}

function span(value, path) {
  object(value, path);
  id(16)(value.traceId, `${path}.traceId`);
  id(8)(value.spanId, `${path}.spanId`);
  id(8, { required: false })(value.parentSpanId, `${path}.parentSpanId`);
  optional(value.traceState, `${path}.traceState`, string);
  optional(value.flags, `${path}.flags`, uint32);
  if (typeof value.name !== 'string' || value.name === '') fail(`${path}.name`, 'is required (a non-empty string)');
  optional(value.kind, `${path}.kind`, enumValue(SPAN_KINDS));
  requiredTime(value.startTimeUnixNano, `${path}.startTimeUnixNano`);
  requiredTime(value.endTimeUnixNano, `${path}.endTimeUnixNano`);
  attributes(value, path);
  list(value.events, `${path}.events`, event);
  list(value.links, `${path}.links`, link);
  optional(value.droppedEventsCount, `${path}.droppedEventsCount`, uint32);
  optional(value.droppedLinksCount, `${path}.droppedLinksCount`, uint32);
  optional(value.status, `${path}.status`, (status, at) => {
    object(status, at);
    optional(status.message, `${at}.message`, string);
    optional(status.code, `${at}.code`, enumValue(STATUS_CODES));
  });
}

function scopeSpans(value, path) {
  object(value, path);
  optional(value.scope, `${path}.scope`, (scope, at) => {
    object(scope, at);
    optional(scope.name, `${at}.name`, string);
    optional(scope.version, `${at}.version`, string);
    attributes(scope, at);
  });
  list(value.spans, `${path}.spans`, span);
  optional(value.schemaUrl, `${path}.schemaUrl`, string);
}

function resourceSpans(value, path) {
  object(value, path);
  optional(value.resource, `${path}.resource`, (resource, at) => attributes(object(resource, at), at));
  list(value.scopeSpans, `${path}.scopeSpans`, scopeSpans);
  optional(value.schemaUrl, `${path}.schemaUrl`, string);
}

/** Throws an Error naming the first problem in `request`, an ExportTraceServiceRequest in its JSON shape. */
export function validateTraceRequest(request) {
  object(request, 'request');
  list(request.resourceSpans, 'resourceSpans', resourceSpans);
}
