import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { toNanos } from '../src/core/clock';
import { createTracer } from '../src/core/tracer';
import { DEFAULT_LIMITS } from '../src/core/attributes';
import type { RecordedSpan } from '../src/core/span';
import { encodeRequest, encodeResource, encodeSpan } from '../src/export/otlp-json';
import { packNext } from '../src/export/pack';
import { gzip, utf8 } from '../src/export/compress';

const tracerFor = (ended: RecordedSpan[], limits = DEFAULT_LIMITS) =>
  createTracer({ _sampleRate: 1, _limits: limits, _onEnd: (span) => ended.push(span) });

test('epoch milliseconds become nanosecond strings without float error', () => {
  assert.equal(toNanos(1_700_000_000_000), '1700000000000000000');
  assert.equal(toNanos(1_700_000_000_000.5), '1700000000000500000');
  assert.equal(toNanos(1_700_000_000_123.25), '1700000000123250000');
  assert.equal(toNanos(1_700_000_000_000.9999999), '1700000000001000000');
  assert.equal(toNanos(0), '0');
});

test('a span encodes as OTLP JSON: hex ids, decimal int64 strings, AnyValue, enums as numbers', () => {
  const ended: RecordedSpan[] = [];
  const tracer = tracerFor(ended);
  const parent = tracer.startSpan('parent', { startTime: 1_700_000_000_000 });
  const span = tracer.startSpan('GET', {
    kind: 'client',
    parent,
    startTime: 1_700_000_000_001.5,
    attributes: { s: 'x', i: 42, d: 1.5, b: true, a: ['p', null, 'q'], big: 2 ** 60, nan: NaN },
  });
  span.addEvent('first-byte', { n: 1 }, 1_700_000_000_002);
  span.setStatus('error', 'boom');
  span.end(1_700_000_000_003.25);
  const json = JSON.parse(encodeSpan(ended[0]));
  assert.equal(json.traceId, parent.context.traceId);
  assert.match(json.spanId, /^[0-9a-f]{16}$/);
  assert.equal(json.parentSpanId, parent.context.spanId);
  assert.equal(json.kind, 3);
  assert.equal(json.startTimeUnixNano, '1700000000001500000');
  assert.equal(json.endTimeUnixNano, '1700000000003250000');
  const value = Object.fromEntries(json.attributes.map((kv: any) => [kv.key, kv.value]));
  assert.deepEqual(value.s, { stringValue: 'x' });
  assert.deepEqual(value.i, { intValue: '42' });
  assert.deepEqual(value.d, { doubleValue: 1.5 });
  assert.deepEqual(value.b, { boolValue: true });
  assert.deepEqual(value.a, { arrayValue: { values: [{ stringValue: 'p' }, {}, { stringValue: 'q' }] } });
  assert.deepEqual(value.big, { doubleValue: 2 ** 60 });
  assert.deepEqual(value.nan, { doubleValue: 'NaN' });
  assert.deepEqual(json.events, [{ timeUnixNano: '1700000000002000000', name: 'first-byte', attributes: [{ key: 'n', value: { intValue: '1' } }] }]);
  assert.deepEqual(json.status, { code: 2, message: 'boom' });
  assert.equal(json.droppedAttributesCount, undefined);
});

test('invalid attribute values and values past the limits are dropped and counted', () => {
  const ended: RecordedSpan[] = [];
  const tracer = tracerFor(ended, { attributeCount: 3, attributeLength: 5, eventCount: 1, linkCount: 1 });
  const span = tracer.startSpan('limits');
  span.setAttributes({ obj: {} as never, mixed: [1, 'a'] as never, fn: (() => 1) as never, ok: 'abcdefgh' });
  span.setAttribute('n', 1).setAttribute('m', 2).setAttribute('over', 3).setAttribute('n', 5);
  span.addEvent('one').addEvent('two');
  span.addLink({ context: span.context }).addLink({ context: span.context });
  span.end();
  const json = JSON.parse(encodeSpan(ended[0]));
  assert.deepEqual(
    json.attributes.map((kv: any) => [kv.key, Object.values(kv.value)[0]]),
    [['ok', 'abcde'], ['n', '5'], ['m', '2']],
  );
  assert.equal(json.droppedAttributesCount, 4);
  assert.equal(json.events.length, 1);
  assert.equal(json.droppedEventsCount, 1);
  assert.equal(json.droppedLinksCount, 1);
});

test('end is idempotent and a span never ends before it starts', () => {
  const ended: RecordedSpan[] = [];
  const span = tracerFor(ended).startSpan('once', { startTime: 2000 });
  span.end(1000);
  span.end(3000);
  span.setAttribute('late', 1);
  assert.equal(ended.length, 1);
  assert.equal(ended[0]._end, 2000);
  assert.equal(span.isRecording(), false);
});

test('recordException writes the exception event the semantic conventions describe', () => {
  const ended: RecordedSpan[] = [];
  const span = tracerFor(ended).startSpan('fails');
  span.recordException(new TypeError('bad thing')).recordException('plain text').end();
  const [typed, text] = ended[0]._events.map((e) => e._attributes._values);
  assert.equal(typed['exception.type'], 'TypeError');
  assert.equal(typed['exception.message'], 'bad thing');
  assert.match(String(typed['exception.stacktrace']), /TypeError: bad thing/);
  assert.deepEqual(text, { 'exception.message': 'plain text' });
});

test('status ok is final; unset does not clear an error', () => {
  const ended: RecordedSpan[] = [];
  const tracer = tracerFor(ended);
  tracer.startSpan('a').setStatus('error', 'x').setStatus('unset').end();
  tracer.startSpan('b').setStatus('ok').setStatus('error', 'late').end();
  assert.deepEqual([ended[0]._status, ended[0]._message], ['error', 'x']);
  assert.equal(ended[1]._status, 'ok');
});

test('a request groups spans by scope under one resource, with drop counts on the tracelet scope', () => {
  const body = JSON.parse(
    encodeRequest(encodeResource({ 'service.name': 'web' }), [
      { _scope: 'tracelet/fetch', _json: '{"name":"a"}' },
      { _scope: 'tracelet', _json: '{"name":"b"}' },
      { _scope: 'tracelet/fetch', _json: '{"name":"c"}' },
    ], { 'tracelet.dropped.queue_full': 3 }),
  );
  const [rs] = body.resourceSpans;
  assert.deepEqual(rs.resource.attributes, [{ key: 'service.name', value: { stringValue: 'web' } }]);
  const scopes = rs.scopeSpans.map((ss: any) => [ss.scope.name, ss.spans.map((s: any) => s.name)]);
  assert.deepEqual(scopes, [['tracelet', ['b']], ['tracelet/fetch', ['a', 'c']]]);
  assert.deepEqual(rs.scopeSpans[0].scope.attributes, [{ key: 'tracelet.dropped.queue_full', value: { intValue: '3' } }]);
});

test('packNext splits spans into gzip requests that each fit the byte limit, losing none', () => {
  const ended: RecordedSpan[] = [];
  const tracer = tracerFor(ended);
  for (let i = 0; i < 3000; i++) {
    tracer.startSpan('GET', { kind: 'client', attributes: { 'url.full': `https://api.example.com/items/${i}?page=${i % 7}`, 'http.response.status_code': 200 } }).end();
  }
  const spans = ended.map((span) => ({ _scope: span._scope, _json: encodeSpan(span) }));
  const resourceJson = encodeResource({ 'service.name': 'web' });
  const encode = (body: string) => gzip(utf8(body));
  let total = 0;
  let requests = 0;
  for (let i = 0; i < spans.length; requests++) {
    const [packet, next] = packNext(spans, i, 64 * 1024, encode, resourceJson);
    assert.ok(packet._payload.length <= 64 * 1024, `request ${requests} is ${packet._payload.length} bytes`);
    const decoded = JSON.parse(gunzipSync(packet._payload).toString('utf8'));
    total += decoded.resourceSpans[0].scopeSpans[0].spans.length;
    assert.equal(next - i, packet._spans);
    i = next;
  }
  assert.equal(total, 3000);
  assert.ok(requests >= 2, 'the spans need more than one request');
});

test('times that are not epoch milliseconds (NaN, negative, strings) become the current time, never unencodable spans', () => {
  const ended: RecordedSpan[] = [];
  const tracer = tracerFor(ended);
  const before = Date.now();
  const span = tracer.startSpan('bad times', { startTime: NaN });
  span.addEvent('e1', undefined, -5);
  span.addEvent('e2', undefined, '12' as unknown as number);
  span.end(Infinity);
  const json = JSON.parse(encodeSpan(ended[0]));
  const ms = (nanos: string) => Number(BigInt(nanos) / 1_000_000n);
  for (const nanos of [json.startTimeUnixNano, json.endTimeUnixNano, ...json.events.map((e: { timeUnixNano: string }) => e.timeUnixNano)]) {
    assert.match(nanos, /^\d+$/);
    assert.ok(Math.abs(ms(nanos) - before) < 60_000, `${nanos} is about now`);
  }
});

test('browser.web_vital numbers are doubles even when whole, so a backend keeps one type per attribute', () => {
  const ended: RecordedSpan[] = [];
  tracerFor(ended)
    .startSpan('LCP', { attributes: { 'browser.web_vital.value': 204, 'browser.web_vital.delta': 0, 'browser.web_vital.name': 'lcp', 'http.response.status_code': 200 } })
    .end();
  const json = JSON.parse(encodeSpan(ended[0]));
  const value = Object.fromEntries(json.attributes.map((kv: any) => [kv.key, kv.value]));
  assert.deepEqual(value['browser.web_vital.value'], { doubleValue: 204 });
  assert.deepEqual(value['browser.web_vital.delta'], { doubleValue: 0 });
  assert.deepEqual(value['browser.web_vital.name'], { stringValue: 'lcp' });
  assert.deepEqual(value['http.response.status_code'], { intValue: '200' });
});
