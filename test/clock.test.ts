import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elapsedNow, now, toEpochMs } from '../src/core/clock';

test('now() is epoch milliseconds with sub-millisecond precision', () => {
  const before = Date.now();
  const time = now();
  assert.ok(Math.abs(time - before) < 50, `${time} vs ${before}`);
  const samples = Array.from({ length: 200 }, now);
  assert.ok(samples.some((t) => t % 1 !== 0), 'some readings have a fraction of a millisecond');
  for (let i = 1; i < samples.length; i++) assert.ok(samples[i] >= samples[i - 1]);
});

test('after the monotonic clock paused during a sleep, times follow the wall clock again', (t) => {
  const realNow = Date.now;
  const slept = 3_600_000;
  t.after(() => {
    Date.now = realNow;
  });
  const before = now();
  // The machine slept an hour while performance.now() stood still: the wall clock moved on, the monotonic did not.
  Date.now = () => realNow() + slept;
  const after = now();
  assert.ok(after - before >= slept - 50, `moved ${after - before} ms`);
  assert.ok(Math.abs(after - Date.now()) < 50);
  // Performance timeline times are converted with the corrected origin too.
  assert.ok(Math.abs(toEpochMs(performance.now()) - Date.now()) < 50);
});

test("a span's events and end are read on the clock its start checked, and follow a re-anchoring", (t) => {
  const realNow = Date.now;
  t.after(() => {
    Date.now = realNow;
  });
  const start = now();
  // A sleep of an hour: unchecked readings keep to the monotonic clock until a checked one re-anchors it.
  Date.now = () => realNow() + 3_600_000;
  const unchecked = elapsedNow();
  assert.ok(unchecked >= start && unchecked - start < 50, `moved ${unchecked - start} ms`);
  now();
  assert.ok(Math.abs(elapsedNow() - Date.now()) < 50);
});
