import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTraceParent, parseTraceParent, parseTraceState } from '../src/core/propagation';
import { formatBaggage, parseBaggage } from '../src/core/baggage';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

test('a valid traceparent gives the remote span context', () => {
  assert.deepEqual(parseTraceParent(`00-${TRACE}-${SPAN}-01`), {
    traceId: TRACE,
    spanId: SPAN,
    traceFlags: 1,
    traceState: undefined,
    isRemote: true,
  });
  assert.equal(parseTraceParent(`00-${TRACE}-${SPAN}-00`)!.traceFlags, 0);
  // Only the sampled bit is kept of flags we do not know.
  assert.equal(parseTraceParent(`00-${TRACE}-${SPAN}-ff`)!.traceFlags, 1);
  assert.equal(parseTraceParent(`  00-${TRACE}-${SPAN}-01  `)!.traceId, TRACE);
});

test('malformed traceparent values are rejected without throwing', () => {
  const bad = [
    undefined,
    42,
    '',
    'garbage',
    `00-${'0'.repeat(32)}-${SPAN}-01`, // all-zero trace id
    `00-${TRACE}-${'0'.repeat(16)}-01`, // all-zero span id
    `00-${TRACE.toUpperCase()}-${SPAN}-01`, // upper-case hex
    `ff-${TRACE}-${SPAN}-01`, // forbidden version
    `00-${TRACE}-${SPAN}-01-extra`, // version 00 has exactly four fields
    `00-${TRACE}1-${SPAN}-01`, // wrong lengths
    `00-${TRACE}-${SPAN}1-01`,
    `00-${TRACE}-${SPAN}-1`,
    `0-${TRACE}-${SPAN}-01`,
    `00_${TRACE}_${SPAN}_01`,
    `00-${TRACE.slice(0, 31)}g-${SPAN}-01`,
  ];
  for (const value of bad) assert.equal(parseTraceParent(value), undefined, String(value));
});

test('a future version is read for the fields we know', () => {
  assert.equal(parseTraceParent(`01-${TRACE}-${SPAN}-01`)!.spanId, SPAN);
  assert.equal(parseTraceParent(`cc-${TRACE}-${SPAN}-01-what-comes-next`)!.spanId, SPAN);
  assert.equal(parseTraceParent(`cc-${TRACE}-${SPAN}-01what`), undefined);
});

test('formatTraceParent writes version 00 with the sampled flag', () => {
  assert.equal(formatTraceParent({ traceId: TRACE, spanId: SPAN, traceFlags: 1 }), `00-${TRACE}-${SPAN}-01`);
  assert.equal(formatTraceParent({ traceId: TRACE, spanId: SPAN, traceFlags: 0 }), `00-${TRACE}-${SPAN}-00`);
});

test('tracestate keeps valid members and drops the rest', () => {
  assert.equal(parseTraceState('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE'), 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  assert.equal(parseTraceState('tenant@vendor=x,Upper=1,=novalue,k=,k2=a=b,ok=1'), 'tenant@vendor=x,ok=1');
  assert.equal(parseTraceState('a=1,a=2'), 'a=1');
  assert.equal(parseTraceState(['a=1', 'b=2']), 'a=1,b=2');
  assert.equal(parseTraceState('a=trailing '), 'a=trailing');
  assert.equal(parseTraceState(''), undefined);
  assert.equal(parseTraceState(7), undefined);
  assert.equal(parseTraceParent(`00-${TRACE}-${SPAN}-01`, 'vendor=abc')!.traceState, 'vendor=abc');
});

test('tracestate is held to 32 members and 512 characters', () => {
  const many = Array.from({ length: 40 }, (_, i) => `k${i}=v`).join(',');
  assert.equal(parseTraceState(many)!.split(',').length, 32);
  const members = Array.from({ length: 30 }, (_, i) => `m${i}=${'y'.repeat(20)}`);
  const kept = parseTraceState(members.join(','))!;
  assert.ok(kept.length <= 512);
  assert.ok(kept.startsWith('m0='), 'members are dropped from the end');
  assert.ok(!kept.includes('m29='));
});

test('baggage parses, decodes, and skips malformed members', () => {
  assert.deepEqual(parseBaggage('userId=alice, serverNode=DF%2028;prop=1 ,bad key=1,=x,isProduction=false'), {
    userId: 'alice',
    serverNode: 'DF 28',
    isProduction: 'false',
  });
  assert.deepEqual(parseBaggage('k=%E0%A4%A'), {});
  assert.deepEqual(parseBaggage(undefined), {});
  assert.equal(formatBaggage({ user: 'a b', 'bad key': 'x' }), 'user=a%20b');
  assert.equal(formatBaggage({}), undefined);
});
