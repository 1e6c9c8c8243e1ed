import { test, expect, hidePage } from './support/fixtures';
import { startReceiver } from './support/receiver';
import { startSite } from './support/site';

declare const Tracelet: typeof import('../src/index');

// tracelet's share of the browsers' 64 KiB keepalive quota: the most one request, or one unload, carries.
const SHARE = 48 * 1024;

/** Inits tracelet with a queue that holds everything until the page leaves, and ends `count` typical spans. */
const queueSpans = (count: number) =>
  ({ endpoint, count: n }: { endpoint: string; count: number }) => {
    const { tracer } = Tracelet.init({ serviceName: 'export-test', endpoint, maxQueueSize: 5000, maxBatchSize: 5000, batchDelay: 600_000 });
    for (let i = 0; i < n; i++) {
      tracer
        .startSpan('GET', { kind: 'client', attributes: { 'http.request.method': 'GET', 'url.full': `https://api.example.com/items/${i}`, 'http.response.status_code': 200, i } })
        .end();
    }
  };

const expectEveryRequestFits = (requests: { bytes: number; headers: Record<string, unknown> }[]) => {
  for (const request of requests) {
    expect(request.bytes).toBeLessThanOrEqual(SHARE);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['content-encoding']).toBe('gzip');
  }
};

/** How many of the test's own spans (numbered by attribute `i`) arrived, each counted once. */
const distinctIndexes = (spans: { attributes: Record<string, unknown> }[]) =>
  new Set(spans.map((s) => s.attributes.i).filter((i) => i !== undefined)).size;

test('3,000 spans pending when the page is hidden all arrive, in gzip requests of at most 48 KiB', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate(queueSpans(3000), { endpoint: receiver.url, count: 3000 });
  await hidePage(page);
  await receiver.waitFor(() => distinctIndexes(receiver.spans()) === 3000, '3000 spans');
  expect(receiver.requests.length).toBeGreaterThan(1);
  expectEveryRequestFits(receiver.requests);
  expect(receiver.rejected).toEqual([]);
});

test('2,500 spans pending when the page navigates away all arrive: what the quota cannot carry comes with the next page', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate(queueSpans(2500), { endpoint: receiver.url, count: 2500 });
  await page.goto(`${site.origin}/elsewhere`);
  // At unload the keepalive quota carries what it can; the rest waits in localStorage.
  await receiver.waitFor(() => receiver.requests.length > 0, 'the keepalive requests');
  const sentAtUnload = receiver.requests.reduce((sum, r) => sum + r.bytes, 0);
  expect(sentAtUnload).toBeLessThanOrEqual(SHARE);
  expect(distinctIndexes(receiver.spans())).toBeLessThan(2500);
  // The next page of the same origin that runs tracelet sends it.
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate((endpoint) => Tracelet.init({ serviceName: 'export-test', endpoint }), receiver.url);
  await receiver.waitFor(() => distinctIndexes(receiver.spans()) === 2500, '2500 spans');
  expectEveryRequestFits(receiver.requests);
  expect(new Set(receiver.spans().map((s) => s.resource['service.name']))).toEqual(new Set(['export-test']));
});

test('a collector answering 503 with Retry-After is retried and nothing is lost', async ({ page }) => {
  const receiver = await startReceiver((n) => (n <= 2 ? { status: 503, headers: { 'Retry-After': '1' } } : { status: 200 }));
  const site = await startSite();
  try {
    await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
    const started = Date.now();
    await page.evaluate((endpoint) => {
      const tracelet = Tracelet.init({ serviceName: 'retry-test', endpoint, batchDelay: 10 });
      for (let i = 0; i < 20; i++) tracelet.tracer.startSpan('work', { attributes: { i } }).end();
      // New spans keep being accepted while the first batch waits for its retry.
      setTimeout(() => tracelet.tracer.startSpan('later', { attributes: { i: 20 } }).end(), 50);
      return tracelet.flush();
    }, receiver.url);
    // flush() resolved, so everything has been delivered.
    expect(distinctIndexes(receiver.spans())).toBe(21);
    expect(receiver.attempts()).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  } finally {
    await site.close();
    await receiver.close();
  }
});

/** Inits tracelet with a queue of 10 that waits for flush(), and ends 15 spans: 5 are dropped as queue_full. */
const overflowQueue = (endpoint: string) => {
  const { tracer } = Tracelet.init({
    serviceName: 'drops',
    endpoint,
    maxQueueSize: 10,
    batchDelay: 600_000,
    maxBatchSize: 100,
    instrumentations: { pageLoad: false, webVitals: false, longTasks: false },
  });
  for (let i = 0; i < 15; i++) tracer.startSpan('s', { attributes: { i } }).end();
};

test('the dropped-span count leaves with the next request', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate(overflowQueue, receiver.url);
  await page.evaluate(() => Tracelet.getTracelet()!.flush());
  expect(receiver.spans()).toHaveLength(10);
  const scope = receiver.requests[0].body.resourceSpans[0].scopeSpans.find((ss: any) => ss.scope.name === 'tracelet').scope;
  expect(scope.attributes).toEqual([{ key: 'tracelet.dropped.queue_full', value: { intValue: '5' } }]);
});

test('drop counts in a request the collector rejects leave with the next request', async ({ page }) => {
  const receiver = await startReceiver((n) => (n === 1 ? { status: 400 } : { status: 200 }));
  const site = await startSite();
  try {
    await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
    await page.evaluate(overflowQueue, receiver.url);
    // The first request (10 spans, and 5 counted as queue_full) is answered 400.
    await page.evaluate(() => {
      const tracelet = Tracelet.getTracelet()!;
      return tracelet.flush().then(() => {
        tracelet.tracer.startSpan('after').end();
        return tracelet.flush();
      });
    });
    expect(receiver.attempts()).toBe(2);
    expect(receiver.spans().map((s) => s.name)).toEqual(['after']);
    const scope = receiver.requests[0].body.resourceSpans[0].scopeSpans.find((ss: any) => ss.scope.name === 'tracelet').scope;
    const counts = Object.fromEntries(scope.attributes.map((a: any) => [a.key, a.value.intValue]));
    expect(counts).toEqual({ 'tracelet.dropped.queue_full': '5', 'tracelet.dropped.rejected': '10' });
  } finally {
    await site.close();
    await receiver.close();
  }
});

test('a malformed traceparent yields a fresh trace', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/bad-meta.html`);
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'documentLoad'), 'the page load');
  const load = receiver.spans().find((s) => s.name === 'documentLoad')!;
  expect(load.parentSpanId).toBeUndefined();
  expect(load.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(load.traceId).not.toMatch(/^0+$/);
  expect(load.raw.traceState).toBeUndefined();
});

test('while the page is hidden, a batch waiting for its retry keeps waiting as new spans leave', async ({ page }) => {
  const receiver = await startReceiver((n) => (n === 1 ? { status: 503, headers: { 'Retry-After': '2' } } : { status: 200 }));
  const site = await startSite();
  try {
    await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
    await page.evaluate((endpoint) => {
      Tracelet.init({ serviceName: 'hidden-retry', endpoint, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
    }, receiver.url);
    await hidePage(page);
    // A span ending in a hidden page leaves at once; the collector asks for 2 s.
    await page.evaluate(() => Tracelet.getTracelet()!.tracer.startSpan('first').end());
    await receiver.waitFor(() => receiver.attempts() === 1, 'the refused request');
    const refusedAt = Date.now();
    await page.evaluate(() => Tracelet.getTracelet()!.tracer.startSpan('second').end());
    await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'second'), 'the second span');
    expect(receiver.spans().map((s) => s.name)).not.toContain('first');
    await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'first'), 'the first span, retried');
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(1500);
    expect(receiver.attempts()).toBe(3);
  } finally {
    await site.close();
    await receiver.close();
  }
});

for (const leaving of ['hidden', 'unloading'] as const) {
  test(`a batch compressed but not yet sent when the page is ${leaving} leaves at once, and only once`, async ({ page, site, receiver }) => {
    await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
    const requestsAtLeave = await page.evaluate(
      ([endpoint, leaving]) =>
        new Promise<number[]>((resolve) => {
          // Counts the exporter's requests: it takes the page's fetch at init().
          const pageFetch = window.fetch;
          let requests = 0;
          window.fetch = (...args) => (requests++, pageFetch(...args));
          const { tracer } = Tracelet.init({ serviceName: 'leave-before-send', endpoint, maxBatchSize: 10, batchDelay: 600_000, instrumentations: { fetch: false, pageLoad: false, webVitals: false, longTasks: false } });
          for (let i = 0; i < 10; i++) tracer.startSpan('s', { attributes: { i } }).end();
          // The full batch is compressed in the next task and its request leaves in the task after that one: this
          // timer runs in between.
          setTimeout(() => {
            const before = requests;
            if (leaving === 'unloading') {
              // Kept in the back/forward cache, so that the page lives on for the checks below.
              window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
            } else {
              Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
              document.dispatchEvent(new Event('visibilitychange'));
            }
            resolve([before, requests]);
          });
        }),
      [receiver.url, leaving] as const,
    );
    // Not sent before the page left, sent while it was leaving.
    expect(requestsAtLeave).toEqual([0, 1]);
    // flush() waits for every request made, so a second copy of the batch would be counted too.
    await page.evaluate(() => Tracelet.getTracelet()!.flush());
    expect(receiver.spans().map((s) => s.attributes.i).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(receiver.requests).toHaveLength(1);
  });
}

test('stored leftovers the page has tampered with: what can be sent is, and nothing throws into the page', async ({ page, site, receiver }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  /** Writes what another script might leave under tracelet's key: junk, and one request that can be sent. */
  const tamper = (name: string) => {
    const span = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name, kind: 1, startTimeUnixNano: '1', endTimeUnixNano: '2' };
    const body = JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: { name: 'tracelet' }, spans: [span] }] }] });
    localStorage.setItem('tracelet.unsent', JSON.stringify({ requests: [null, { spans: 1 }, 7, { body, spans: 1 }], dropped: 'many' }));
  };
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  // Read when tracelet starts...
  await page.evaluate(tamper, 'stored-before-init');
  await page.evaluate(queueSpans(0), { endpoint: receiver.url, count: 0 });
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'stored-before-init'), 'the stored span');
  // ...and when the unload stores what the keepalive quota cannot carry.
  await page.evaluate(tamper, 'stored-before-unload');
  await page.evaluate((n) => {
    const { tracer } = Tracelet.getTracelet()!;
    for (let i = 0; i < n; i++) tracer.startSpan('GET', { attributes: { 'url.full': `https://api.example.com/items/${i}`, i } }).end();
  }, 2500);
  await page.goto(`${site.origin}/elsewhere`);
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate((endpoint) => Tracelet.init({ serviceName: 'export-test', endpoint }), receiver.url);
  await receiver.waitFor(() => distinctIndexes(receiver.spans()) === 2500, '2500 spans');
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'stored-before-unload'), 'the span stored before the unload');
  expect(errors).toEqual([]);
  // A count that is not a number counts nothing: every drop count that left is an integer.
  const counts = receiver.requests.flatMap((r) => r.body.resourceSpans[0].scopeSpans.flatMap((ss: any) => ss.scope.attributes ?? []));
  for (const { value } of counts) expect(value.intValue).toMatch(/^\d+$/);
});

test("behind a collector that never answers, the page's own keepalive requests still leave", async ({ page, site }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  const appBeacon = await page.evaluate(async (endpoint) => {
    // Counts the bytes the exporter sends with keepalive: it takes the page's fetch at init().
    const pageFetch = window.fetch;
    let keepaliveBytes = 0;
    let requests = 0;
    let allSent!: () => void;
    const sent = new Promise<void>((resolve) => (allSent = resolve));
    window.fetch = (input, init) => {
      if (init?.keepalive) keepaliveBytes += (init.body as Uint8Array).length;
      // 1,000 spans leave in 16 requests, one per task, none of them answered.
      if (++requests === 16) allSent();
      return pageFetch(input, init);
    };
    const tracelet = Tracelet.init({ serviceName: 'slow-collector', endpoint, instrumentations: { fetch: false, pageLoad: false, webVitals: false, longTasks: false } });
    window.fetch = pageFetch;
    for (let i = 0; i < 1000; i++) {
      tracelet.tracer.startSpan('GET', { kind: 'client', attributes: { 'url.full': `https://api.example.com/items/${i}`, 'http.response.status_code': 200, i } }).end();
    }
    void tracelet.flush();
    await sent;
    // A beacon of 12 KB, as the page may send one at any time.
    const response = await pageFetch('/beacon', { method: 'POST', body: 'x'.repeat(12 * 1024), keepalive: true }).then(
      (r) => r.status,
      (error: Error) => error.message,
    );
    return { keepaliveBytes, response };
  }, `${site.origin}/collector?delay=60000`);
  // tracelet took what its share allows, and left the rest of the browser's 64 KiB to the page.
  expect(appBeacon.response).toBe(200);
  expect(appBeacon.keepaliveBytes).toBeGreaterThan(40 * 1024);
  expect(appBeacon.keepaliveBytes).toBeLessThanOrEqual(SHARE);
});

test('bad values from the app are dropped and counted on their span, never thrown, and never cost another span', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  const seen = await page.evaluate(async (endpoint) => {
    const errors: string[] = [];
    addEventListener('error', (event) => errors.push(event.message));
    const { tracer } = Tracelet.init({ serviceName: 'bad-input', endpoint, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
    for (let i = 0; i < 10; i++) tracer.startSpan('good', { attributes: { i } }).end();
    const odd = BigInt(10) as unknown as string;
    // A parent whose ids are not ids, and a link to the context of a header that was missing.
    const span = tracer.startSpan('bad', { parent: { traceId: 'nope', spanId: 'x', traceFlags: 1 } });
    span.addLink({ context: undefined as unknown as import('../src/index').SpanContext });
    span.updateName(odd).addEvent(odd).setStatus('error', odd);
    let thrown = 'nothing';
    try {
      span.recordException(Object.create(null));
    } catch (error) {
      thrown = String(error);
    }
    span.end();
    await Tracelet.getTracelet()!.flush();
    return { errors, thrown };
  }, receiver.url);
  expect(seen).toEqual({ errors: [], thrown: 'nothing' });
  expect(receiver.rejected).toEqual([]);
  expect(receiver.spans().filter((s) => s.name === 'good')).toHaveLength(10);
  const [bad] = receiver.spans().filter((s) => s.name === '10');
  expect(bad.parentSpanId).toBeUndefined();
  expect(bad.raw.links).toBeUndefined();
  expect(bad.raw.droppedLinksCount).toBe(1);
  expect(bad.raw.events.map((e: { name: string }) => e.name)).toEqual(['10']);
  expect(bad.raw.droppedEventsCount).toBe(1);
  expect(bad.raw.status).toEqual({ code: 2, message: '10' });
});
