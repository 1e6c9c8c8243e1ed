import type { Page } from '@playwright/test';
import { test, expect, hidePage } from './support/fixtures';
import type { ReceivedSpan } from './support/receiver';

declare const Tracelet: typeof import('../src/index');
declare const showBanner: () => void;
declare const blockSoon: (ms: number) => void;
declare const seenByPage: string[];

const VITALS = ['LCP', 'CLS', 'INP', 'FCP', 'TTFB'];
const STATUS_ERROR = 2;

const nanos = (span: ReceivedSpan, end: 'start' | 'end') => BigInt(span.raw[`${end}TimeUnixNano`]);
const durationMs = (span: ReceivedSpan) => Number(nanos(span, 'end') - nanos(span, 'start')) / 1e6;
/**
 * Starts watching for the next interaction; `settled()` resolves once the browser has reported it (event timing)
 * and web-vitals has taken it in, as it has when a person pauses before switching tabs: web-vitals processes
 * event entries in an idle callback (at most 1 s later), and an interaction the page is hidden before that is
 * missing from the INP reported then. This observer and idle callback are registered after web-vitals' own, so
 * they run after them. Event entries under 104 ms are not buffered, so the watch starts before the interaction.
 */
const watchInteraction = async (page: Page) => {
  const watch = await page.evaluateHandle(() => ({
    settled: new Promise<void>((resolve) =>
      new PerformanceObserver((list, observer) => {
        if (!list.getEntries().some((e) => (e as PerformanceEventTiming).interactionId)) return;
        observer.disconnect();
        requestIdleCallback(() => resolve(), { timeout: 1000 });
      }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit),
    ),
  }));
  return { settled: () => watch.evaluate((w) => w.settled) };
};

/** shutdown(), then init() again as the service `again` (after a consent change, say). */
const restart = (page: Page, endpoint: string, batchDelay: number) =>
  page.evaluate(
    ([endpoint, batchDelay]) =>
      Tracelet.getTracelet()!
        .shutdown()
        .then(() => void Tracelet.init({ serviceName: 'again', endpoint, batchDelay })),
    [endpoint, batchDelay] as const,
  );

const exceptionOf = (span: ReceivedSpan) => {
  const event = (span.raw.events ?? []).find((e: { name: string }) => e.name === 'exception');
  return event && Object.fromEntries(event.attributes.map((kv: any) => [kv.key, kv.value.stringValue]));
};

test('web vitals and uncaught errors arrive when the page is hidden, with ratings, selectors and stack traces', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/vitals-errors.html`);
  await page.evaluate(() => showBanner());
  const interaction = await watchInteraction(page);
  await page.click('#buy'); // a slow handler that throws: INP, and an uncaught error
  await interaction.settled();
  await page.click('#reject'); // an unhandled rejection
  await expect.poll(() => page.evaluate(() => seenByPage)).toEqual([expect.stringContaining('thrown on purpose')]);
  // batchDelay is 10 minutes: nothing has left yet.
  expect(receiver.requests).toHaveLength(0);

  await hidePage(page);
  const names = [...VITALS, 'documentLoad'];
  await receiver.waitFor(
    () => names.every((name) => receiver.spans().some((s) => s.name === name)) && receiver.spans().filter(exceptionOf).length === 2,
    'five vitals, the page load and two exceptions',
  );
  const spans = receiver.spans();
  const load = spans.find((s) => s.name === 'documentLoad')!;
  const vital = Object.fromEntries(VITALS.map((name) => [name, spans.filter((s) => s.name === name)]));

  for (const name of VITALS) {
    expect(vital[name], `${name} is reported once`).toHaveLength(1);
    const [span] = vital[name];
    expect(span.scope).toBe('tracelet/web-vitals');
    // In the page load's trace, so a backend shows them with the load they measure.
    expect(span.traceId).toBe(load.traceId);
    expect(span.parentSpanId).toBe(load.spanId);
    expect(span.attributes).toMatchObject({
      'browser.web_vital.name': name.toLowerCase(),
      'browser.web_vital.rating': expect.stringMatching(/^(good|needs-improvement|poor)$/),
      'browser.web_vital.navigation_type': 'navigate',
      'browser.web_vital.id': expect.stringMatching(/^v\d-/),
    });
    expect(span.attributes['browser.web_vital.value']).toBeGreaterThanOrEqual(0);
    expect(span.attributes['browser.web_vital.delta']).toBe(span.attributes['browser.web_vital.value']);
    // Doubles even when whole, so that a backend keeps one type per attribute.
    const sent = Object.fromEntries(span.raw.attributes.map((kv: { key: string; value: object }) => [kv.key, Object.keys(kv.value)]));
    expect([sent['browser.web_vital.value'], sent['browser.web_vital.delta']], name).toEqual([['doubleValue'], ['doubleValue']]);
  }
  // Time-based vitals last exactly as long as their value.
  for (const name of ['LCP', 'FCP', 'TTFB', 'INP']) {
    expect(Math.abs(durationMs(vital[name][0]) - Number(vital[name][0].attributes['browser.web_vital.value']))).toBeLessThan(0.01);
  }
  expect(vital.LCP[0].attributes['tracelet.web_vital.target']).toBe('img#hero');
  expect(vital.CLS[0].attributes['browser.web_vital.value']).toBeGreaterThan(0);
  expect(vital.CLS[0].attributes['tracelet.web_vital.target']).toBe('img#hero');
  expect(vital.INP[0].attributes['tracelet.web_vital.target']).toBe('button#buy');
  expect(vital.INP[0].attributes['browser.web_vital.value']).toBeGreaterThanOrEqual(80);

  const [thrown, rejected] = ['thrown on purpose', 'rejected on purpose'].map(
    (message) => spans.find((s) => exceptionOf(s)?.['exception.message'] === message)!,
  );
  expect(exceptionOf(thrown)).toMatchObject({ 'exception.type': 'Error', 'exception.stacktrace': expect.stringContaining('HTMLButtonElement') });
  expect(exceptionOf(rejected)).toMatchObject({ 'exception.type': 'TypeError', 'exception.stacktrace': expect.stringContaining('rejected on purpose') });
  // Each was thrown (or rejected) in a click handler, so it is recorded on that click's span.
  expect(thrown.attributes.target_selector).toBe('button#buy');
  expect(rejected.attributes.target_selector).toBe('button#reject');
  for (const span of [thrown, rejected]) {
    expect(span.name).toBe('click');
    expect(span.scope).toBe('tracelet/interactions');
    expect(span.raw.status).toEqual({ code: STATUS_ERROR, message: exceptionOf(span)['exception.message'] });
    // An error status comes with error.type, as the semantic conventions ask.
    expect(span.attributes['error.type']).toBe(exceptionOf(span)['exception.type']);
  }
});

test('an error outside any span gets an exception span of its own', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/vitals-errors.html`);
  await page.evaluate(() => setTimeout(() => {
    throw new SyntaxError('thrown from a timer');
  }));
  await hidePage(page);
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'exception'), 'the exception span');
  const span = receiver.spans().find((s) => s.name === 'exception')!;
  expect(span.scope).toBe('tracelet/errors');
  expect(span.parentSpanId).toBeUndefined();
  expect(exceptionOf(span)).toMatchObject({ 'exception.type': 'SyntaxError', 'exception.message': 'thrown from a timer' });
  expect(span.raw.status).toEqual({ code: STATUS_ERROR, message: 'thrown from a timer' });
  expect(nanos(span, 'end')).toBe(nanos(span, 'start'));
});

test('without zone.js, an error reported while a span is active is recorded on that span', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/plain-bundle.html`);
  await page.evaluate((endpoint) => {
    const { tracer, flush } = Tracelet.init({ serviceName: 'errors', endpoint, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
    tracer.startActiveSpan('checkout', (span) => {
      reportError(new RangeError('reported on purpose'));
      span.end();
    });
    return flush();
  }, receiver.url);
  const spans = receiver.spans();
  expect(spans.map((s) => s.name)).toEqual(['checkout']);
  expect(exceptionOf(spans[0])).toMatchObject({ 'exception.type': 'RangeError', 'exception.message': 'reported on purpose' });
  expect(spans[0].raw.status).toEqual({ code: STATUS_ERROR, message: 'reported on purpose' });
});

test('after shutdown() and a new init(), each error and each vital is recorded once', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/vitals-errors.html`);
  await restart(page, receiver.url, 600000);
  const interaction = await watchInteraction(page);
  await page.click('#buy');
  await interaction.settled();
  await hidePage(page);
  const errors = () => receiver.spans().filter((s) => exceptionOf(s)?.['exception.message'] === 'thrown on purpose');
  await receiver.waitFor(() => ['LCP', 'INP'].every((name) => receiver.spans().some((s) => s.name === name)) && errors().length > 0, 'LCP, INP and the error');
  await page.evaluate(() => Tracelet.getTracelet()!.flush());
  for (const name of ['LCP', 'INP']) expect(receiver.spans().filter((s) => s.name === name)).toHaveLength(1);
  expect(errors()).toHaveLength(1);
  expect(errors()[0].raw.events.filter((e: { name: string }) => e.name === 'exception')).toHaveLength(1);
});

test('after shutdown() and a new init(), the page load, FCP, TTFB and earlier long frames are not recorded again', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/plain-bundle.html`);
  await page.evaluate((endpoint) => Tracelet.init({ serviceName: 'first', endpoint, batchDelay: 50 }), receiver.url);
  await page.evaluate(() => blockSoon(120));
  const named = (name: string) => receiver.spans().filter((s) => s.name === name);
  const blocked = () => receiver.spans().filter((s) => s.attributes['code.function.name'] === 'blockMainThread');
  await receiver.waitFor(() => ['documentLoad', 'FCP', 'TTFB'].every((name) => named(name).length > 0) && blocked().length > 0, 'the page load, FCP, TTFB and the long frame');
  await restart(page, receiver.url, 50);
  // A second long frame comes after anything the new init() could record again.
  await page.evaluate(() => blockSoon(120));
  await receiver.waitFor(() => blocked().length > 1, 'the second long frame');
  await page.evaluate(() => Tracelet.getTracelet()!.flush());
  for (const name of ['documentLoad', 'documentFetch', 'FCP', 'TTFB']) expect(named(name), name).toHaveLength(1);
  expect(blocked()).toHaveLength(2);
  expect(blocked()[1].resource['service.name']).toBe('again');
});

test('shutdown() before the load event ends documentLoad then, so the FCP already sent keeps its parent', async ({ page, site, receiver }) => {
  // The page's load event waits two seconds for an image; FCP comes before it (TTFB only after it).
  await page.goto(`${site.origin}/e2e/fixtures/slow-load.html`, { waitUntil: 'domcontentloaded' });
  await page.evaluate((endpoint) => Tracelet.init({ serviceName: 'first', endpoint, batchDelay: 50 }), receiver.url);
  const named = (name: string) => receiver.spans().filter((s) => s.name === name);
  await receiver.waitFor(() => named('FCP').length > 0, 'FCP');
  expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
  await restart(page, receiver.url, 50);
  await receiver.waitFor(() => named('documentLoad').length > 0, 'documentLoad');
  const [load] = named('documentLoad');
  expect(load.resource['service.name']).toBe('first');
  expect(named('FCP')[0].parentSpanId).toBe(load.spanId);
  // The load event, and the task after it where the page load would be recorded, come and go: not a second time.
  await page.waitForFunction(() => document.readyState === 'complete');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve)).then(() => Tracelet.getTracelet()!.flush()));
  expect(named('documentLoad')).toHaveLength(1);
});

test('a main thread blocked for 120 ms yields a long animation frame span naming the script', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/plain-bundle.html`);
  await page.evaluate((endpoint) => Tracelet.init({ serviceName: 'long-tasks', endpoint, batchDelay: 50 }), receiver.url);
  await page.evaluate(() => blockSoon(120));
  const isOurs = (s: ReceivedSpan) => s.attributes['code.function.name'] === 'blockMainThread';
  await receiver.waitFor(() => receiver.spans().some(isOurs), 'the long animation frame');
  const span = receiver.spans().find(isOurs)!;
  expect(span.name).toBe('longAnimationFrame');
  expect(span.scope).toBe('tracelet/long-tasks');
  expect(durationMs(span)).toBeGreaterThanOrEqual(120);
  expect(span.attributes).toMatchObject({
    'browser.script.invoker': 'TimerHandler:setTimeout',
    'code.file.path': `${site.origin}/e2e/fixtures/plain-bundle.html`,
  });
  expect(span.attributes['browser.script.duration']).toBeGreaterThanOrEqual(120);
});

test('the long task threshold leaves shorter frames out', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/plain-bundle.html`);
  await page.evaluate(
    (endpoint) => Tracelet.init({ serviceName: 'long-tasks', endpoint, batchDelay: 50, instrumentations: { longTasks: { threshold: 200 } } }),
    receiver.url,
  );
  await page.evaluate(() => blockSoon(120));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
  await page.evaluate(() => blockSoon(250));
  const frames = () => receiver.spans().filter((s) => s.name === 'longAnimationFrame');
  await receiver.waitFor(() => frames().some((s) => s.attributes['code.function.name'] === 'blockMainThread'), 'the 250 ms frame');
  await page.evaluate(() => Tracelet.getTracelet()!.flush());
  // The 120 ms frame came first, so it would have arrived by now.
  for (const frame of frames()) expect(durationMs(frame)).toBeGreaterThanOrEqual(200);
});

// zone.js's promises never reach the browser's own rejection tracking, and zone.js fails to fire
// `unhandledrejection` for them itself (src/instrumentation/errors.ts): the page's handlers, an error tracker's
// say, must still hear of each unhandled rejection once, as they do without zone.js, and tracelet record it once.
const REJECTION_PAGES = [
  { page: 'plain-bundle.html', what: 'no zone.js', fromLoad: true },
  { page: 'zone-bundle.html', what: "tracelet's bundle with zone.js", fromLoad: true },
  { page: 'page-zone.html', what: 'zone.js loaded by the page, then the bundle with zone.js', fromLoad: true },
  { page: 'page-zone-plain.html', what: 'zone.js loaded by the page, then the bundle without it', fromLoad: false },
  { page: 'zone-bundle.html', what: 'zone.js told to wrap rejections', fromLoad: true, wrapping: true },
];
for (const { page: path, what, fromLoad, wrapping } of REJECTION_PAGES) {
  test(`with ${what}, the page's unhandledrejection handlers hear each unhandled rejection once, and tracelet records it once`, async ({ page, site, receiver }) => {
    // The flag zone.js reads when it loads: it then hands its hook an Error holding the promise.
    if (wrapping) await page.addInitScript(() => ((window as any).__zone_symbol__DISABLE_WRAPPING_UNCAUGHT_PROMISE_REJECTION = false));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${site.origin}/e2e/fixtures/${path}`);
    await page.evaluate(() => {
      const heard: string[] = ((window as any).heard = []);
      const describe = (by: string, event: PromiseRejectionEvent) =>
        `${by}: ${event.reason?.message ?? event.reason} ${typeof event.promise?.then} ${event.cancelable}`;
      addEventListener('unhandledrejection', (event) => {
        heard.push(describe('listener', event));
        // As without zone.js, this keeps the browser from reporting the rejection (a page error here).
        if (event.reason === 'prevented') event.preventDefault();
      });
      window.onunhandledrejection = (event) => void heard.push(describe('property', event));
    });
    const heard = () => page.evaluate(() => (window as any).heard as string[]);
    const both = (reason: string) => [`listener: ${reason} function true`, `property: ${reason} function true`];
    // With zone.js in the bundle, the page's handlers work from the moment it loads, as without zone.js.
    if (fromLoad) {
      await page.evaluate(() => void Promise.reject(new Error('before init')));
      await expect.poll(heard).toEqual(both('before init'));
    }

    await page.evaluate(
      (endpoint) => {
        Tracelet.init({ serviceName: 'rejections', endpoint, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
        Promise.reject(new Error('from Promise.reject'));
        new Promise((_, reject) => setTimeout(() => reject(new TypeError('from new Promise'))));
        fetch('/elsewhere').then(() => {
          throw new RangeError('from fetch().then');
        });
        Promise.reject('prevented');
        // A reason of the app's own with a `promise` property is not taken for zone.js's wrapper.
        Promise.reject(Object.assign(new Error('with a promise of its own'), { promise: Promise.resolve() }));
      },
      receiver.url,
    );
    const reasons = ['from Promise.reject', 'from new Promise', 'from fetch().then', 'prevented', 'with a promise of its own'];
    await expect.poll(async () => (await heard()).length).toBe((fromLoad ? 2 : 0) + 2 * reasons.length);
    // Time for any second event to arrive, then everything recorded is sent.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)).then(() => Tracelet.getTracelet()!.flush()));
    expect((await heard()).sort()).toEqual([...(fromLoad ? ['before init'] : []), ...reasons].flatMap(both).sort());
    // The browser reported each rejection the page did not prevent, once (zone.js's own console message aside).
    expect(pageErrors.sort()).toEqual([...(fromLoad ? ['before init'] : []), ...reasons.filter((reason) => reason !== 'prevented')].sort());

    const recorded = receiver.spans().map(exceptionOf).filter(Boolean);
    expect(recorded.map((exception) => exception['exception.message']).sort()).toEqual([...reasons].sort());
    expect(recorded.find((exception) => exception['exception.message'] === 'from new Promise')).toMatchObject({ 'exception.type': 'TypeError' });
  });
}

test('with zone.js, a rejection whose event a page listener stopped leaves nothing behind: the same reason rejected again is recorded again', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate((endpoint) => {
    const win = window as any;
    win.stopped = 0;
    // Ahead of tracelet's listener, the page stops the first event: tracelet's listener never sees it.
    addEventListener('unhandledrejection', (event) => {
      event.preventDefault();
      if (!win.stopped++) event.stopImmediatePropagation();
    });
    Tracelet.init({ serviceName: 'rejections', endpoint, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
    // zone.js's promise: recorded at zone.js's hook, then its event stopped.
    Promise.reject('twice');
  }, receiver.url);
  await expect.poll(() => page.evaluate(() => (window as any).stopped)).toBe(1);
  // A native promise (as an async function returns, zone.js or not) with the same reason: only the event tells.
  await page.evaluate(() => void (window as any).__zone_symbol__Promise.reject('twice'));
  await expect.poll(() => page.evaluate(() => (window as any).stopped)).toBe(2);
  await page.evaluate(() => Tracelet.getTracelet()!.flush());
  expect(receiver.spans().map(exceptionOf).filter(Boolean).map((exception) => exception['exception.message'])).toEqual(['twice', 'twice']);
});

test('with the bundle with zone.js loaded after init(), each unhandled rejection is still heard once and recorded once', async ({ page, site, receiver }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${site.origin}/e2e/fixtures/page-zone-plain.html`);
  await page.evaluate((endpoint) => {
    const heard: string[] = ((window as any).heard = []);
    addEventListener('unhandledrejection', (event) => void heard.push(event.reason.message));
    // The second bundle brings a Tracelet global of its own.
    (window as any).first = Tracelet.init({ serviceName: 'rejections', endpoint, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
    const script = document.createElement('script');
    script.src = '/dist/tracelet.zone.iife.min.js';
    return new Promise((resolve) => {
      script.onload = resolve;
      document.head.append(script);
    });
  }, receiver.url);
  await page.evaluate(() => void Promise.reject(new Error('after the second bundle')));
  await expect.poll(() => page.evaluate(() => (window as any).heard.length)).toBe(1);
  // Time for any second event to arrive, then everything recorded is sent.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)).then(() => (window as any).first.flush()));
  expect(await page.evaluate(() => (window as any).heard)).toEqual(['after the second bundle']);
  expect(pageErrors).toEqual(['after the second bundle']);
  expect(receiver.spans().map(exceptionOf).filter(Boolean).map((exception) => exception['exception.message'])).toEqual(['after the second bundle']);
});
