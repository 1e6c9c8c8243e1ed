import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSampled } from '../src/core/sampler';
import { newSpanId, newTraceId } from '../src/core/ids';

test('ids are random lower-case hex of the right length, never all zero', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const traceId = newTraceId();
    const spanId = newSpanId();
    assert.match(traceId, /^[0-9a-f]{32}$/);
    assert.match(spanId, /^[0-9a-f]{16}$/);
    assert.doesNotMatch(traceId, /^0+$/);
    seen.add(traceId);
  }
  assert.equal(seen.size, 2000);
});

test('always on and always off', () => {
  assert.equal(isSampled(newTraceId(), undefined, 1), true);
  assert.equal(isSampled(newTraceId(), undefined, 0), false);
});

test('the ratio sampler keeps about rate of traces, the same answer for the same trace id', () => {
  const ids = Array.from({ length: 20000 }, newTraceId);
  const kept = ids.filter((id) => isSampled(id, undefined, 0.25));
  assert.ok(Math.abs(kept.length / ids.length - 0.25) < 0.02, `kept ${kept.length}`);
  for (const id of ids.slice(0, 500)) assert.equal(isSampled(id, undefined, 0.25), isSampled(id, undefined, 0.25));
  // A trace kept at a low rate is kept at every higher rate: services with different rates agree.
  for (const id of ids.filter((id) => isSampled(id, undefined, 0.1))) assert.equal(isSampled(id, undefined, 0.5), true);
});

test('a child follows its parent, whatever the rate', () => {
  const traceId = newTraceId();
  const parent = (traceFlags: number) => ({ traceId, spanId: newSpanId(), traceFlags });
  assert.equal(isSampled(traceId, parent(1), 0), true);
  assert.equal(isSampled(traceId, parent(0), 1), false);
});
