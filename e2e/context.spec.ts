import { test, expect } from './support/fixtures';

declare const Tracelet: typeof import('../src/index');
declare const pageZone: unknown;

test('children started in timers, promises, listeners and fetch callbacks get the right parent', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate((endpoint) => {
    // Interactions off: with them on, the click would start a trace of its own and own its listeners' work.
    const { tracer } = Tracelet.init({ serviceName: 'context-test', endpoint, batchDelay: 50, instrumentations: { interactions: false } });
    tracer.startActiveSpan('root', (root) => {
      setTimeout(() => {
        tracer.startActiveSpan('in-timer', (timer) => {
          Promise.resolve().then(() => {
            tracer.startSpan('in-promise').end();
            timer.end();
          });
        });
      }, 5);
      document.getElementById('go')!.addEventListener('click', () => tracer.startSpan('in-listener').end(), { once: true });
      fetch(location.href)
        .then((response) => response.text())
        .then(() => {
          tracer.startSpan('in-fetch-callback').end();
          root.end();
        });
    });
    tracer.startSpan('outside').end();
  }, receiver.url);
  await page.click('#go');

  const names = ['root', 'in-timer', 'in-promise', 'in-listener', 'in-fetch-callback', 'outside'];
  await receiver.waitFor(() => names.every((name) => receiver.spans().some((s) => s.name === name)), 'six spans');
  const span = Object.fromEntries(receiver.spans().map((s) => [s.name, s]));
  expect(span['root'].parentSpanId).toBeUndefined();
  expect(span['in-timer'].parentSpanId).toBe(span['root'].spanId);
  expect(span['in-promise'].parentSpanId).toBe(span['in-timer'].spanId);
  expect(span['in-listener'].parentSpanId).toBe(span['root'].spanId);
  expect(span['in-fetch-callback'].parentSpanId).toBe(span['root'].spanId);
  for (const name of names.slice(1, 5)) expect(span[name].traceId).toBe(span['root'].traceId);
  expect(span['outside'].parentSpanId).toBeUndefined();
  expect(span['outside'].traceId).not.toBe(span['root'].traceId);
});

test('a page that loaded zone.js itself keeps its Zone, and context still follows', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/page-zone.html`);
  expect(await page.evaluate(() => (globalThis as any).Zone === pageZone)).toBe(true);
  await page.evaluate((endpoint) => {
    const { tracer } = Tracelet.init({ serviceName: 'page-zone', endpoint, batchDelay: 50 });
    tracer.startActiveSpan('root', (root) => setTimeout(() => { tracer.startSpan('child').end(); root.end(); }, 5));
  }, receiver.url);
  const manual = () => receiver.spans().filter((s) => s.scope === 'tracelet');
  await receiver.waitFor(() => manual().length === 2, 'two spans');
  const [child, root] = manual();
  expect(child.parentSpanId).toBe(root.spanId);
});

test('the npm ES module build traces too', async ({ page, site, receiver }) => {
  const ready = page.waitForEvent('console', (m) => m.text() === 'ready');
  await page.addInitScript(() => addEventListener('tracelet-ready', () => console.log('ready')));
  await page.goto(`${site.origin}/e2e/fixtures/esm.html`);
  await ready;
  await page.evaluate((endpoint) => {
    const { tracer, flush } = Tracelet.init({ serviceName: 'esm', endpoint });
    tracer.startActiveSpan('root', (root) => setTimeout(() => { tracer.startSpan('child').end(); root.end(); flush(); }, 5));
  }, receiver.url);
  const manual = () => receiver.spans().filter((s) => s.scope === 'tracelet');
  await receiver.waitFor(() => manual().length === 2, 'two spans');
  const [child, root] = manual();
  expect(child.parentSpanId).toBe(root.spanId);
  expect(root.resource['service.name']).toBe('esm');
});

test('a script tag with data attributes traces with no code', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/script-tag.html`);
  await page.evaluate(() => Tracelet.getTracelet()!.tracer.startSpan('manual').end());
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'manual'), 'the manual span');
  const span = receiver.spans().find((s) => s.name === 'manual')!;
  expect(span.resource).toMatchObject({
    'service.name': 'fixture-web',
    'service.version': '1.2.3',
    'telemetry.sdk.name': 'tracelet',
    'telemetry.sdk.language': 'webjs',
  });
  expect(span.resource['user_agent.original']).toContain('Chrome');
  expect(span.resource['browser.brands']).toEqual(expect.arrayContaining([expect.stringContaining('Chromium')]));
  expect(span.attributes['session.id']).toMatch(/^[0-9a-f]{32}$/);
});

test('without zone.js, manual spans keep synchronous context, and a click still adopts its requests', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/no-zone.html`);
  expect(await page.evaluate(() => typeof (globalThis as any).Zone)).toBe('undefined');
  await page.evaluate((endpoint) => {
    const { tracer } = Tracelet.init({ serviceName: 'no-zone', endpoint, batchDelay: 50 });
    tracer.startActiveSpan('root', (root) => {
      tracer.startSpan('sync-child').end();
      setTimeout(() => {
        tracer.startSpan('timer-child').end();
        root.end();
      }, 5);
    });
  }, receiver.url);
  await page.click('#go');
  await receiver.waitFor(() => ['sync-child', 'timer-child', 'click', 'GET'].every((n) => receiver.spans().some((s) => s.name === n)), 'four spans');
  const span = Object.fromEntries(receiver.spans().map((s) => [s.name, s]));
  expect(span['sync-child'].parentSpanId).toBe(span['root'].spanId);
  // What is lost without zone.js: a timer callback does not see the active span.
  expect(span['timer-child'].parentSpanId).toBeUndefined();
  // The request started while the click was open joins it.
  expect(span['GET'].parentSpanId).toBe(span['click'].spanId);
});

test('session.id lasts across page loads of one visit, and a new visit gets a new one', async ({ page, browser, site, receiver }) => {
  const spanOnNewPage = async (p: import('@playwright/test').Page, name: string) => {
    await p.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
    await p.evaluate(
      ({ endpoint, name }) => {
        const tracelet = Tracelet.init({ serviceName: 'session', endpoint, instrumentations: { pageLoad: false, webVitals: false } });
        tracelet.tracer.startSpan(name).end();
        return tracelet.flush();
      },
      { endpoint: receiver.url, name },
    );
  };
  await spanOnNewPage(page, 'first');
  await spanOnNewPage(page, 'second');
  const other = await browser.newPage();
  await spanOnNewPage(other, 'other-visit');
  await other.close();
  const session = (name: string) => receiver.spans().find((s) => s.name === name)!.attributes['session.id'];
  expect(session('first')).toMatch(/^[0-9a-f]{32}$/);
  expect(session('second')).toBe(session('first'));
  expect(session('other-visit')).not.toBe(session('first'));
});

test('clicks nobody listens to make no span, though web-vitals listens for the first input', async ({ page, site, receiver }) => {
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate((endpoint) => void Tracelet.init({ serviceName: 'clicks', endpoint, batchDelay: 50 }), receiver.url);
  await page.click('#go');
  await page.evaluate(() => document.getElementById('go')!.addEventListener('click', () => undefined));
  await page.click('#go');
  await receiver.waitFor(() => receiver.spans().some((s) => s.name === 'click'), 'the click with a listener');
  await page.evaluate(() => Tracelet.getTracelet()!.flush());
  expect(receiver.spans().filter((s) => s.name === 'click')).toHaveLength(1);
});

test('interaction settings of the wrong type are reported, and the page\'s listeners run as before', async ({ page, site, receiver }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
  await page.evaluate((endpoint) => {
    Tracelet.init({ serviceName: 'settings', endpoint, instrumentations: { interactions: { events: new Set(['click']) as unknown as string[] } } });
    (window as any).clicks = 0;
    document.getElementById('go')!.addEventListener('click', () => (window as any).clicks++);
  }, receiver.url);
  await page.click('#go');
  expect(await page.evaluate(() => (window as any).clicks)).toBe(1);
  expect(warnings).toContain('tracelet: interactions failed to start: TypeError: events must be an array of strings');
});
