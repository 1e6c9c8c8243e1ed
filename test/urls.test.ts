import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesAny, redactUrl } from '../src/lib/urls';

test('a string prefix that ends in the host matches that host only', () => {
  const patterns = ['https://api.example.com'];
  assert.equal(matchesAny('https://api.example.com/', patterns), true);
  assert.equal(matchesAny('https://api.example.com/v1/cart?id=1', patterns), true);
  assert.equal(matchesAny('https://api.example.com.evil.net/', patterns), false);
  assert.equal(matchesAny('https://api.example.com@evil.net/', patterns), false);
  assert.equal(matchesAny('https://api.example.com:8443/', patterns), false);
  assert.equal(matchesAny('https://api.example.community/', patterns), false);
});

test('a string prefix with a path matches URLs under it; a RegExp is tested against the whole URL', () => {
  assert.equal(matchesAny('https://cdn.example.com/v1/x', ['https://cdn.example.com/v1']), true);
  assert.equal(matchesAny('https://cdn.example.com/v2/x', ['https://cdn.example.com/v1']), false);
  const sub = /^https:\/\/[\w-]+\.example\.com\//;
  assert.equal(matchesAny('https://eu.example.com/orders', [sub]), true);
  assert.equal(matchesAny('https://eu.example.com.evil.net/orders', [sub]), false);
  assert.equal(matchesAny('https://other.org/', ['https://api.example.com', sub]), false);
});

test('url.full keeps no credentials nor sensitive query values', () => {
  const url = redactUrl('https://ann:pw@shop.example/cart?id=7&access_token=abc&sig=9', ['token', 'sig']);
  assert.equal(url, 'https://REDACTED:REDACTED@shop.example/cart?id=7&access_token=REDACTED&sig=REDACTED');
});
