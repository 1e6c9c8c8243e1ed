import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetryable, parseRetryAfter } from '../src/export/transport';

test('Retry-After in seconds is read as ms; anything else falls back to the backoff', () => {
  assert.equal(parseRetryAfter('5'), 5000);
  assert.equal(parseRetryAfter(' 0 '), 0);
  for (const header of [null, '', ' ', 'soon', '1.5', '-1', 'Wed, 21 Oct 2026 07:28:00 GMT']) {
    assert.equal(parseRetryAfter(header), undefined, JSON.stringify(header));
  }
});

test('network errors, 429 and gateway errors are retried; other statuses are not', () => {
  for (const status of [0, 429, 502, 503, 504]) assert.equal(isRetryable(status), true, String(status));
  for (const status of [200, 400, 401, 403, 404, 413, 415, 500]) assert.equal(isRetryable(status), false, String(status));
});
