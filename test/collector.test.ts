// The demo collector (demo/collector.mjs): what it accepts, what it refuses and how, and the viewer's API.
// Valid payloads come from OpenTelemetry's own serializers and exporters, so the collector is checked against the
// real encodings, not against itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGzip, gzipSync } from 'node:zlib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import protobuf from 'protobufjs';
import { startCollector, type Collector } from '../demo/collector.mjs';

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';

/** A two-service trace as the OpenTelemetry SDK records it: web `checkout` (CLIENT) -> api `POST /pay` (SERVER, error). */
function recordTrace(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const tracerOf = (service: string) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'telemetry.sdk.language': 'webjs' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    }).getTracer('collector-test', '1.0.0');
  // Explicit times: each provider anchors its own clock, so two spans started together could come out in either
  // order, and the viewer lists services in start order.
  const start = Date.now() - 100;
  const client = tracerOf('web').startSpan('checkout', { kind: SpanKind.CLIENT, startTime: start, attributes: { 'http.request.method': 'POST', 'url.full': 'http://api.test/pay' } });
  const server = tracerOf('api').startSpan('POST /pay', { kind: SpanKind.SERVER, startTime: start + 5, attributes: { items: 3, ratio: 0.5, ok: false, tags: ['a', 'b'] } }, trace.setSpan(context.active(), client));
  server.addEvent('charged', { amount: 12 }, start + 20);
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  server.end(start + 40);
  client.end(start + 50);
  return exporter.getFinishedSpans();
}

const spans = recordTrace();
const traceId = spans[0].spanContext().traceId;
const jsonBody = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
const protobufBody = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);

/** A span as JSON with one field changed or removed (undefined), for the malformed-payload cases. */
function jsonWithSpan(change: Record<string, unknown>) {
  const request = JSON.parse(jsonBody.toString());
  const span = request.resourceSpans[0].scopeSpans[0].spans[0];
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete span[key];
    else span[key] = value;
  }
  return JSON.stringify(request);
}

/**
 * A protobuf ExportTraceServiceRequest with one span, written field by field with protobufjs's Writer: independent
 * of the collector's schema, so it also checks the collector's field numbers.
 */
function protobufSpan({ traceIdBytes = 16, name = 'hand-made' } = {}) {
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 2).fork(); // ExportTraceServiceRequest.resource_spans
  writer.uint32((2 << 3) | 2).fork(); // ResourceSpans.scope_spans
  writer.uint32((2 << 3) | 2).fork(); // ScopeSpans.spans
  writer.uint32((1 << 3) | 2).bytes(Buffer.alloc(traceIdBytes, 0xab)); // Span.trace_id
  writer.uint32((2 << 3) | 2).bytes(Buffer.alloc(8, 0xcd)); // Span.span_id
  writer.uint32((5 << 3) | 2).string(name); // Span.name
  // 64-bit values as decimal strings: protobufjs converts them with the `long` package.
  writer.uint32((7 << 3) | 1).fixed64('1700000000000000000' as unknown as number); // Span.start_time_unix_nano
  writer.uint32((8 << 3) | 1).fixed64('1700000000250000000' as unknown as number); // Span.end_time_unix_nano
  writer.ldelim().ldelim().ldelim();
  return Buffer.from(writer.finish());
}

async function post(collector: Collector, body: Buffer | string, headers: Record<string, string>) {
  const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

/** Each refusal is followed by this: the collector must still take a valid export. */
async function assertStillServes(collector: Collector) {
  const answer = await post(collector, jsonBody, { 'content-type': JSON_TYPE });
  assert.equal(answer.status, 200, `a valid export after a refused one: ${answer.text}`);
}

async function assertRefused(collector: Collector, body: Buffer | string, headers: Record<string, string>, status: number, reason: RegExp) {
  const answer = await post(collector, body, headers);
  assert.equal(answer.status, status, answer.text);
  if (headers['content-type'] === PROTOBUF_TYPE) {
    // A google.rpc.Status in protobuf: its message is a length-prefixed UTF-8 string inside.
    assert.equal(answer.headers.get('content-type'), PROTOBUF_TYPE);
    assert.match(answer.text, reason);
  } else {
    assert.match(JSON.parse(answer.text).message, reason);
  }
  await assertStillServes(collector);
}

/** `megabytes` of zeros, gzipped as a stream: about 1 KB per MB, and never the whole input in memory. */
function gzipBomb(megabytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    gzip.on('error', reject);
    const megabyte = Buffer.alloc(1024 * 1024);
    let written = 0;
    const writeMore = () => {
      while (written < megabytes) {
        written++;
        if (!gzip.write(megabyte)) return void gzip.once('drain', writeMore);
      }
      gzip.end();
    };
    writeMore();
  });
}

describe('the collector accepts OTLP/HTTP', () => {
  let collector: Collector;
  before(async () => (collector = await startCollector()));
  after(() => collector.close());

  for (const [label, contentType, body] of [
    ['JSON', JSON_TYPE, jsonBody],
    ['protobuf', PROTOBUF_TYPE, protobufBody],
  ] as const) {
    for (const gzip of [false, true]) {
      test(`${label}${gzip ? ' gzip' : ''}`, async () => {
        const sent = gzip ? gzipSync(body) : body;
        const answer = await post(collector, sent, { 'content-type': `${contentType}${label === 'JSON' ? '; charset=utf-8' : ''}`, ...(gzip && { 'content-encoding': 'gzip' }) });
        assert.equal(answer.status, 200, answer.text);
        // Success in the request's own encoding: {"partialSuccess":{}}, or the same message in protobuf.
        assert.equal(answer.headers.get('content-type'), contentType);
        if (contentType === JSON_TYPE) assert.deepEqual(JSON.parse(answer.text), { partialSuccess: {} });
        else assert.deepEqual([...answer.bytes], [0x0a, 0x00]);

        const request = collector.requests.at(-1)!;
        assert.equal(request.contentType, contentType);
        assert.equal(request.contentEncoding, gzip ? 'gzip' : '');
        assert.equal(request.bodyBytes, sent.length);
        assert.equal(request.decodedBytes, body.length);
        assert.equal(request.headers['content-type']?.toString().startsWith(contentType), true);
        assert.equal(request.spans.length, 2);
        const server = request.spans.find((span) => span.kind === 'SERVER')!;
        const client = request.spans.find((span) => span.kind === 'CLIENT')!;
        assert.equal(server.traceId, traceId);
        assert.equal(server.parentSpanId, client.spanId);
        assert.equal(server.service, 'api');
        assert.deepEqual(server.attributes, { items: 3, ratio: 0.5, ok: false, tags: ['a', 'b'] });
        assert.deepEqual(server.status, { code: 'ERROR', message: 'card declined' });
        assert.equal(server.events[0].name, 'charged');
        assert.deepEqual(server.scope, { name: 'collector-test', version: '1.0.0' });
        assert.ok(server.durationMs >= 0 && server.durationMs < 1000);
        assert.equal(typeof (request.payload.resourceSpans as unknown[]).length, 'number');
      });
    }
  }

  test('the protobuf and the JSON encodings of the same spans decode to the same spans', async () => {
    await post(collector, jsonBody, { 'content-type': JSON_TYPE });
    const fromJson = collector.requests.at(-1)!.spans;
    await post(collector, protobufBody, { 'content-type': PROTOBUF_TYPE });
    assert.deepEqual(collector.requests.at(-1)!.spans, fromJson);
  });

  test('a hand-encoded protobuf span (field numbers as in opentelemetry-proto)', async () => {
    const answer = await post(collector, protobufSpan(), { 'content-type': PROTOBUF_TYPE });
    assert.equal(answer.status, 200, answer.text);
    const [span] = collector.requests.at(-1)!.spans;
    assert.equal(span.traceId, 'ab'.repeat(16));
    assert.equal(span.spanId, 'cd'.repeat(8));
    assert.equal(span.name, 'hand-made');
    assert.equal(span.durationMs, 250);
  });

  test("OpenTelemetry's own exporters, protobuf and JSON, export successfully", async () => {
    for (const exporter of [new ProtobufExporter({ url: `${collector.url}/v1/traces` }), new JsonExporter({ url: `${collector.url}/v1/traces` })]) {
      const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
      assert.equal(result.code, 0, result.error?.message);
      await exporter.shutdown();
    }
  });
});

describe('the collector refuses what a strict receiver refuses, and keeps serving', () => {
  let collector: Collector;
  before(async () => (collector = await startCollector()));
  after(() => collector.close());

  test('415 for other content types', async () => {
    await assertRefused(collector, jsonBody, { 'content-type': 'text/plain' }, 415, /Content-Type "text\/plain" is not supported/);
    await assertRefused(collector, protobufBody, { 'content-type': 'application/protobuf' }, 415, /not supported/);
    await assertRefused(collector, jsonBody, {}, 415, /not supported/);
  });

  test('415 for content encodings other than gzip', async () => {
    await assertRefused(collector, jsonBody, { 'content-type': JSON_TYPE, 'content-encoding': 'br' }, 415, /Content-Encoding "br"/);
  });

  test('400 for malformed JSON', async () => {
    await assertRefused(collector, '{"resourceSpans": [', { 'content-type': JSON_TYPE }, 400, /not valid JSON/);
    await assertRefused(collector, '', { 'content-type': JSON_TYPE }, 400, /not valid JSON/);
  });

  test('400 for a body that is not gzip although it says so', async () => {
    await assertRefused(collector, jsonBody, { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' }, 400, /not valid gzip/);
  });

  test('400 for bad protobuf', async () => {
    await assertRefused(collector, 'not a protobuf', { 'content-type': PROTOBUF_TYPE }, 400, /not a valid ExportTraceServiceRequest/);
    await assertRefused(collector, protobufBody.subarray(0, protobufBody.length - 7), { 'content-type': PROTOBUF_TYPE }, 400, /not a valid ExportTraceServiceRequest/);
    await assertRefused(collector, protobufSpan({ traceIdBytes: 15 }), { 'content-type': PROTOBUF_TYPE }, 400, /traceId: must be 32 hex characters/);
    await assertRefused(collector, protobufSpan({ name: '' }), { 'content-type': PROTOBUF_TYPE }, 400, /name: is required/);
  });

  const malformed: [string, Record<string, unknown> | string, RegExp][] = [
    ['a trace id of the wrong length', { traceId: 'abc123' }, /spans\[0\]\.traceId: must be 32 hex characters/],
    ['a trace id that is not hex', { traceId: 'z'.repeat(32) }, /traceId: must be 32 hex characters/],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, /traceId: must not be all zeros/],
    ['an all-zero span id', { spanId: '0'.repeat(16) }, /spanId: must not be all zeros/],
    ['a parent span id of the wrong length', { parentSpanId: 'abcd' }, /parentSpanId: must be 16 hex characters/],
    ['no span id', { spanId: undefined }, /spanId: is required/],
    ['no name', { name: undefined }, /name: is required/],
    ['no start time', { startTimeUnixNano: undefined }, /startTimeUnixNano: is required/],
    ['a time that is not an integer', { endTimeUnixNano: '12.5' }, /endTimeUnixNano: must be an integer/],
    ['attributes that are not an array', { attributes: { key: 'value' } }, /attributes: must be an array/],
    ['an intValue that is not a number', { attributes: [{ key: 'n', value: { intValue: 'many' } }] }, /attributes\[0\]\.value\.intValue: must be an integer/],
    ['an AnyValue with two values', { attributes: [{ key: 'n', value: { intValue: 1, stringValue: '1' } }] }, /has more than one value/],
    ['an unknown span kind', { kind: 9 }, /kind: must be one of/],
    ['a request that is not an object', '[1, 2]', /request: must be an object/],
    ['resourceSpans that is not an array', '{"resourceSpans": {}}', /resourceSpans: must be an array/],
  ];
  for (const [label, change, reason] of malformed) {
    test(`400 for ${label}`, async () => {
      const body = typeof change === 'string' ? change : jsonWithSpan(change);
      await assertRefused(collector, body, { 'content-type': JSON_TYPE }, 400, reason);
    });
  }

  test('413 for a body over maxBodyBytes, answered only after the whole body was read', async () => {
    const huge = Buffer.alloc(5 * 1024 * 1024, 0x20); // 5 MiB of spaces: over the 4 MiB default
    // Had the collector answered before reading it all, fetch would fail with a reset connection instead.
    await assertRefused(collector, huge, { 'content-type': JSON_TYPE }, 413, /larger than 4194304 bytes/);
  });

  test('413 for a gzip bomb, without inflating it', async () => {
    const bomb = await gzipBomb(200);
    assert.ok(bomb.length < 400 * 1024, `the bomb is small on the wire (${bomb.length} bytes)`);
    const rssBefore = process.memoryUsage().rss;
    await assertRefused(collector, bomb, { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' }, 413, /decompressed body is larger than 16777216 bytes/);
    // Inflated, the bomb would be 200 MB; gunzip stops at the 16 MiB limit.
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    assert.ok(grownMb < 120, `memory grew by ${grownMb.toFixed(0)} MB`);
  });

  test('the refusals are counted by reason', async () => {
    const { requests } = collector.stats();
    assert.ok(requests.rejected >= 25, `rejected ${requests.rejected}`);
    assert.deepEqual(Object.keys(requests.rejectedByReason).sort(), [
      'body-too-large',
      'decoded-too-large',
      'invalid-gzip',
      'invalid-json',
      'invalid-payload',
      'invalid-protobuf',
      'unsupported-content-encoding',
      'unsupported-content-type',
    ]);
  });
});

describe('CORS for browser exports', () => {
  let collector: Collector;
  before(async () => (collector = await startCollector({ allowOrigins: ['http://shop.test'] })));
  after(() => collector.close());

  test('a preflight from an allowed origin is answered with that origin and the two headers exporters send', async () => {
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,content-encoding' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://shop.test');
    assert.equal(response.headers.get('access-control-allow-headers'), 'content-type, content-encoding');
    assert.match(response.headers.get('access-control-allow-methods')!, /POST/);
    assert.equal(response.headers.get('access-control-expose-headers'), null);
  });

  test('an export from an allowed origin gets Access-Control-Allow-Origin', async () => {
    const answer = await post(collector, jsonBody, { 'content-type': JSON_TYPE, origin: 'http://shop.test' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'http://shop.test');
  });

  test('another origin gets no CORS grant', async () => {
    const preflight = await fetch(`${collector.url}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    await preflight.body?.cancel();
    const answer = await post(collector, jsonBody, { 'content-type': JSON_TYPE, origin: 'http://evil.test' });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });
});

describe('the viewer API', () => {
  let collector: Collector;
  before(async () => {
    collector = await startCollector();
    await post(collector, protobufBody, { 'content-type': PROTOBUF_TYPE });
  });
  after(() => collector.close());

  const getJson = async (path: string) => (await fetch(`${collector.url}${path}`)).json();

  test('GET /api/traces lists the trace', async () => {
    const [summary] = await getJson('/api/traces');
    assert.equal(summary.traceId, traceId);
    assert.equal(summary.rootName, 'checkout');
    assert.equal(summary.label, 'POST /pay');
    assert.deepEqual(summary.services, ['web', 'api']);
    assert.equal(summary.spanCount, 2);
    assert.equal(summary.error, true);
    assert.ok(summary.durationMs >= 0);
  });

  test('GET /api/traces/:id has every span with its resource; an unknown id is 404', async () => {
    const detail = await getJson(`/api/traces/${traceId}`);
    assert.equal(detail.spans.length, 2);
    assert.deepEqual(detail.spans.map((span: { name: string }) => span.name).sort(), ['POST /pay', 'checkout']);
    assert.equal(detail.spans[0].resource['service.name'], 'web');
    const missing = await fetch(`${collector.url}/api/traces/${'f'.repeat(32)}`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  });

  test('GET /api/service-map has the call from web to api, with its error and latency', async () => {
    const map = await getJson('/api/service-map');
    assert.deepEqual(map.nodes.map((node: { service: string }) => node.service).sort(), ['api', 'web']);
    assert.equal(map.edges.length, 1);
    const [edge] = map.edges;
    assert.deepEqual({ from: edge.from, to: edge.to, requests: edge.requests, errors: edge.errors }, { from: 'web', to: 'api', requests: 1, errors: 1 });
    assert.equal(typeof edge.p50Ms, 'number');
    assert.equal(typeof edge.avgMs, 'number');
  });

  test('GET /api/stats counts requests and spans', async () => {
    const stats = await getJson('/api/stats');
    assert.equal(stats.requests.accepted, 1);
    assert.equal(stats.spans, 2);
    assert.equal(stats.traces, 1);
    assert.equal(stats.evictedTraces, 0);
  });

  test('GET / serves the viewer page', async () => {
    const response = await fetch(`${collector.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /text\/html/);
    assert.match(await response.text(), /<script type="module" src="\/viewer\/main.js">/);
  });

  test('GET /api/events pushes a message when spans arrive', async () => {
    const response = await fetch(`${collector.url}/api/events`);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await post(collector, protobufSpan(), { 'content-type': PROTOBUF_TYPE });
    let received = '';
    while (!received.includes('event: traces')) received += (await reader.read()).value;
    assert.match(received, new RegExp(`"traceIds":\\["${'ab'.repeat(16)}"\\]`));
    await reader.cancel();
  });
});

describe('bounded memory, waitFor and forwarding', () => {
  test('past maxTraces the oldest trace is evicted and counted', async () => {
    const collector = await startCollector({ maxTraces: 2 });
    try {
      const ids = [];
      for (let i = 0; i < 3; i++) {
        const traceSpans = recordTrace();
        ids.push(traceSpans[0].spanContext().traceId);
        await post(collector, Buffer.from(JsonTraceSerializer.serializeRequest(traceSpans)!), { 'content-type': JSON_TYPE });
      }
      assert.deepEqual(collector.store.list().map((summary) => summary.traceId).sort(), ids.slice(1).sort());
      assert.equal(collector.stats().evictedTraces, 1);
    } finally {
      await collector.close();
    }
  });

  test('waitFor resolves on the request that makes the predicate true, and rejects with a clear message on timeout', async () => {
    const collector = await startCollector();
    try {
      const waiting = collector.waitFor((c) => c.requests.find((request) => request.contentType === PROTOBUF_TYPE), 5000);
      await post(collector, protobufBody, { 'content-type': PROTOBUF_TYPE });
      assert.equal((await waiting).spans.length, 2);
      await assert.rejects(collector.waitFor(() => false, 50), /not true within 50 ms/);
    } finally {
      await collector.close();
    }
  });

  test('OTLP_FORWARD_URL and OTLP_FORWARD_HEADERS forward each accepted request as it came', async () => {
    const upstream = await startCollector();
    process.env.OTLP_FORWARD_URL = `${upstream.url}/v1/traces`;
    process.env.OTLP_FORWARD_HEADERS = 'authorization=Bearer%20secret,x-team=web';
    const collector = await startCollector();
    delete process.env.OTLP_FORWARD_URL;
    delete process.env.OTLP_FORWARD_HEADERS;
    try {
      const sent = gzipSync(protobufBody);
      await post(collector, sent, { 'content-type': PROTOBUF_TYPE, 'content-encoding': 'gzip' });
      const forwarded = await upstream.waitFor((c) => c.requests[0], 5000);
      assert.equal(forwarded.headers.authorization, 'Bearer secret');
      assert.equal(forwarded.headers['x-team'], 'web');
      assert.equal(forwarded.contentType, PROTOBUF_TYPE);
      assert.equal(forwarded.contentEncoding, 'gzip');
      assert.equal(forwarded.bodyBytes, sent.length);
      assert.deepEqual(forwarded.spans, collector.requests[0].spans);
      assert.equal((await collector.waitFor((c) => c.stats().forwarding?.forwarded === 1 && c.stats().forwarding, 5000)).failed, 0);
    } finally {
      await collector.close();
      await upstream.close();
    }
  });
});
