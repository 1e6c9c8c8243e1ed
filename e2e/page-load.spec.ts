import { test, expect } from './support/fixtures';
import type { ReceivedSpan } from './support/receiver';

declare const Tracelet: typeof import('../src/index');

const nanos = (span: ReceivedSpan, end: 'start' | 'end') => BigInt(span.raw[`${end}TimeUnixNano`]);
const durationMs = (span: ReceivedSpan) => Number(nanos(span, 'end') - nanos(span, 'start')) / 1e6;
const eventNames = (span: ReceivedSpan) => (span.raw.events ?? []).map((e: { name: string }) => e.name);
const path = (span: ReceivedSpan) => new URL(String(span.attributes['url.full'])).pathname + new URL(String(span.attributes['url.full'])).search;

const SERVER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SERVER_SPAN = '00f067aa0ba902b7';

test('a page load is a documentLoad span with its document request and every resource as children', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/page-load.html?token=secret&lang=en`);
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'documentLoad'), 'the documentLoad span');
  const spans = receiver.spans().filter((s) => s.scope === 'tracelet/page-load');
  const load = spans.find((s) => s.name === 'documentLoad')!;
  const fetch = spans.find((s) => s.name === 'documentFetch')!;
  const resources = spans.filter((s) => s.name === 'resourceFetch');

  // A new trace, since the server announced none; the page URL with its token redacted.
  expect(load.parentSpanId).toBeUndefined();
  expect(load.attributes['url.full']).toBe(`${site.origin}/e2e/fixtures/page-load.html?token=REDACTED&lang=en`);
  expect(eventNames(load)).toEqual(
    expect.arrayContaining([
      'fetchStart',
      'requestStart',
      'responseStart',
      'responseEnd',
      'domInteractive',
      'domContentLoadedEventStart',
      'domContentLoadedEventEnd',
      'domComplete',
      'loadEventStart',
      'loadEventEnd',
    ]),
  );

  expect(fetch.parentSpanId).toBe(load.spanId);
  expect(fetch.traceId).toBe(load.traceId);
  expect(fetch.attributes['url.full']).toBe(load.attributes['url.full']);
  expect(fetch.attributes['network.protocol.name']).toBe('http');
  expect(eventNames(fetch)).toEqual(expect.arrayContaining(['fetchStart', 'requestStart', 'responseStart', 'responseEnd']));
  expect(nanos(fetch, 'start')).toBeGreaterThanOrEqual(nanos(load, 'start'));

  // The bundle, the stylesheet, the script and the image; not the script matched by ignoreUrls.
  expect(resources.map(path).sort()).toEqual([
    '/dist/tracelet.zone.iife.min.js',
    '/e2e/fixtures/page-load.css',
    '/e2e/fixtures/page-load.js',
    '/e2e/fixtures/page-load.svg?delay=300',
  ]);
  for (const resource of resources) {
    expect(resource.parentSpanId).toBe(load.spanId);
    expect(resource.traceId).toBe(load.traceId);
    expect(resource.attributes['http.response.body.size']).toBeGreaterThan(0);
    expect(eventNames(resource)).toEqual(expect.arrayContaining(['fetchStart', 'responseEnd']));
    expect(nanos(resource, 'end')).toBeLessThanOrEqual(nanos(load, 'end'));
  }
  // The slow image holds the load event back, and the documentLoad span with it.
  const image = resources.find((s) => path(s).includes('.svg'))!;
  expect(durationMs(image)).toBeGreaterThanOrEqual(290);
  expect(durationMs(load)).toBeGreaterThan(durationMs(image));
});

test('init() after the page has loaded still traces the page load', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  expect(await page.evaluate(() => document.readyState)).toBe('complete');
  await page.evaluate((endpoint) => Tracelet.init({ serviceName: 'late', endpoint, batchDelay: 50 }), receiver.url);
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'documentLoad'), 'the documentLoad span');
  const load = receiver.spans().find((s) => s.name === 'documentLoad')!;
  const children = receiver.spans().filter((s) => s.parentSpanId === load.spanId && s.scope === 'tracelet/page-load');
  expect(children.map((s) => s.name).sort()).toEqual(['documentFetch', 'resourceFetch']);
  expect(path(children.find((s) => s.name === 'resourceFetch')!)).toBe('/dist/tracelet.zone.iife.min.js');
  expect(load.attributes['url.full']).toBe(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  // It runs from navigation start to the end of the load event, not from init().
  const navigation = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { origin: performance.timeOrigin, loadEventEnd: nav.loadEventEnd };
  });
  expect(Math.abs(Number(nanos(load, 'start')) / 1e6 - navigation.origin)).toBeLessThan(2);
  expect(Math.abs(durationMs(load) - navigation.loadEventEnd)).toBeLessThan(2);
});

test('a page whose server sent <meta name="traceparent"> joins the server trace', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/page-load-meta.html`);
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'documentLoad'), 'the documentLoad span');
  const load = receiver.spans().find((s) => s.name === 'documentLoad')!;
  expect(load.traceId).toBe(SERVER_TRACE);
  expect(load.parentSpanId).toBe(SERVER_SPAN);
  expect(load.raw.traceState).toBe('shop=server');
  // The page load's own children; a long animation frame on a busy machine is a span of another trace.
  const children = receiver.spans().filter((s) => s.scope === load.scope && s.name !== 'documentLoad');
  expect(children.map((s) => s.name)).toContain('documentFetch');
  for (const child of children) {
    expect(child.traceId).toBe(SERVER_TRACE);
    expect(child.parentSpanId).toBe(load.spanId);
  }
});

test('a document response with Server-Timing: traceparent joins the server trace', async ({ page, site, receiver }) => {
  const serverTiming = `traceparent;desc="00-${SERVER_TRACE}-${SERVER_SPAN}-01"`;
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html?server-timing=${encodeURIComponent(serverTiming)}`);
  await page.evaluate((endpoint) => Tracelet.init({ serviceName: 'server-timing', endpoint, batchDelay: 50 }), receiver.url);
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'documentLoad'), 'the documentLoad span');
  const load = receiver.spans().find((s) => s.name === 'documentLoad')!;
  expect(load.traceId).toBe(SERVER_TRACE);
  expect(load.parentSpanId).toBe(SERVER_SPAN);
});
