// The OTLP trace messages, decoded with protobufjs from an inline copy of the parts of opentelemetry-proto we need
// (collector/trace/v1/trace_service.proto, trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto,
// plus google.rpc.Status for error answers). Field numbers must match upstream exactly; names are camel-cased by
// protobufjs, which is also the OTLP/JSON key spelling, so a decoded message has the same shape as a JSON request.
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package otlp;

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }

message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message InstrumentationScope {
  string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4;
}

message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
  string name = 5; SpanKind kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; uint32 dropped_events_count = 12;
  repeated Link links = 13; uint32 dropped_links_count = 14;
  Status status = 15;

  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
  message Link {
    bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5; fixed32 flags = 6;
  }
  enum SpanKind {
    SPAN_KIND_UNSPECIFIED = 0; SPAN_KIND_INTERNAL = 1; SPAN_KIND_SERVER = 2; SPAN_KIND_CLIENT = 3;
    SPAN_KIND_PRODUCER = 4; SPAN_KIND_CONSUMER = 5;
  }
}
message Status {
  string message = 2; StatusCode code = 3;
  enum StatusCode { STATUS_CODE_UNSET = 0; STATUS_CODE_OK = 1; STATUS_CODE_ERROR = 2; }
}

message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }

// google.rpc.Status: the body of every 4xx/5xx answer to a protobuf request (OTLP spec, "Failures").
message RpcStatus { int32 code = 1; string message = 2; }
`;

const root = protobuf.parse(PROTO).root;
const Request = root.lookupType('otlp.ExportTraceServiceRequest');
const Response = root.lookupType('otlp.ExportTraceServiceResponse');
const RpcStatus = root.lookupType('otlp.RpcStatus');

// OTLP/JSON spells ids as hex, not as proto3 JSON's base64 (OTLP spec, "JSON Protobuf Encoding").
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

function base64IdsToHex(value) {
  if (Array.isArray(value)) return value.map(base64IdsToHex);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = ID_FIELDS.has(key) ? Buffer.from(field, 'base64').toString('hex') : base64IdsToHex(field);
  }
  return out;
}

/** Decodes an ExportTraceServiceRequest into its OTLP/JSON shape; throws on bytes that are not one. */
export function decodeTraceRequest(bytes) {
  const message = Request.decode(bytes);
  // Enums as numbers and 64-bit integers as decimal strings, as OTLP/JSON writes them.
  return base64IdsToHex(Request.toObject(message, { longs: String, enums: Number, bytes: String }));
}

/** The protobuf answer to an accepted request: an ExportTraceServiceResponse with an empty partial_success. */
export function encodeTraceResponse() {
  return Buffer.from(Response.encode(Response.create({ partialSuccess: {} })).finish());
}

/** The protobuf body of an error answer: a google.rpc.Status. */
export function encodeRpcStatus(code, message) {
  return Buffer.from(RpcStatus.encode(RpcStatus.create({ code, message })).finish());
}
