import { test as base, expect } from './support/fixtures';
import { startApi } from './support/api';
import type { ReceivedSpan } from './support/receiver';
import { startSite } from './support/site';

declare const Tracelet: typeof import('../src/index');

type Api = Awaited<ReturnType<typeof startApi>>;

/** Each test gets an allowed API (in propagateTo), another origin that is not allowed, and the app page. */
const test = base.extend<{ api: Api; other: Api; app: { origin: string } }>({
  api: async ({}, use) => {
    const api = await startApi();
    await use(api);
    await api.close();
  },
  other: async ({}, use) => {
    const other = await startApi();
    await use(other);
    await other.close();
  },
  app: async ({ receiver, api }, use) => {
    const site = await startSite({ ENDPOINT: receiver.url, API: api.origin });
    await use(site);
    await site.close();
  },
});

const traceparentOf = (headers: Record<string, unknown>) => headers['traceparent'] as string | undefined;

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

const openApp = async (page: import('@playwright/test').Page, origin: string, endpoint: string, propagateTo: string[], extra = {}) => {
  await page.goto(`${origin}/e2e/fixtures/app.html`);
  await page.evaluate(
    ({ endpoint, propagateTo, extra }) => {
      Tracelet.init({ serviceName: 'app', endpoint, propagateTo, batchDelay: 50, ...extra, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
    },
    { endpoint, propagateTo, extra },
  );
};

test('a click that fetches an allowed API and XHRs its own origin: click -> fetch and XHR spans, and the backend continues the trace', async ({ page, app, api, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  await page.click('#load');
  await receiver.waitFor(() => byName(receiver.spans(), 'click').length === 1 && byName(receiver.spans(), 'GET').length === 2, 'click, fetch and XHR');
  const spans = receiver.spans();
  const click = byName(spans, 'click')[0];
  const fetchSpan = spans.find((s) => s.scope === 'tracelet/fetch')!;
  const xhrSpan = spans.find((s) => s.scope === 'tracelet/xhr')!;

  expect(click.attributes).toMatchObject({ event_type: 'click', target_element: 'button', target_selector: 'button#load' });
  expect(fetchSpan.parentSpanId).toBe(click.spanId);
  expect(xhrSpan.parentSpanId).toBe(click.spanId);
  expect(new Set([click.traceId, fetchSpan.traceId, xhrSpan.traceId]).size).toBe(1);
  expect(fetchSpan.kind).toBe(3);
  expect(fetchSpan.attributes).toMatchObject({
    'http.request.method': 'GET',
    'url.full': `${api.origin}/data`,
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(api.origin).port),
    'http.response.status_code': 200,
    'network.protocol.name': 'http',
    'network.protocol.version': '1.1',
  });
  expect(xhrSpan.attributes['url.full']).toBe(`${app.origin}/same-origin?via=xhr`);
  // Phases from each request's own resource timing entry.
  for (const span of [fetchSpan, xhrSpan]) {
    const events = span.raw.events.map((e: any) => e.name);
    expect(events).toEqual(expect.arrayContaining(['fetchStart', 'requestStart', 'responseStart', 'responseEnd']));
  }
  // The click lasts until the XHR started by its fetch callback has finished.
  expect(BigInt(click.raw.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(xhrSpan.raw.endTimeUnixNano) - 2_000_000n);

  // The API saw the same trace, with the fetch span as parent.
  const seen = api.requests.find((r) => r.path === '/data')!;
  expect(traceparentOf(seen.headers)).toBe(`00-${fetchSpan.traceId}-${fetchSpan.spanId}-01`);
});

test('an origin not in propagateTo never sees traceparent, and ignoreUrls are not traced', async ({ page, app, api, other, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin], { ignoreUrls: [`${api.origin}/status/`] });
  await page.evaluate(
    ({ api, other }) =>
      Promise.all([
        fetch(`${other}/data`),
        new Promise((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('GET', `${other}/data?via=xhr`);
          xhr.onloadend = resolve;
          xhr.send();
        }),
        fetch(`${api}/status/204`),
      ]).then(() => Tracelet.getTracelet()!.flush()),
    { api: api.origin, other: other.origin },
  );
  expect(other.requests).toHaveLength(2);
  for (const request of other.requests) expect(traceparentOf(request.headers)).toBeUndefined();
  const urls = receiver.spans().map((s) => s.attributes['url.full']);
  expect(urls).toEqual(expect.arrayContaining([`${other.origin}/data`, `${other.origin}/data?via=xhr`]));
  expect(urls).not.toContain(`${api.origin}/status/204`);
});

test('overlapping requests to the same URL each get their own timings', async ({ page, app, api, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  // The first request waits 600 ms, the second 50 ms: the second finishes first.
  await page.evaluate((api) => {
    const slow = fetch(`${api}/delay/600`);
    return new Promise((resolve) => setTimeout(resolve, 30))
      .then(() => Promise.all([slow, fetch(`${api}/delay/50`)]))
      .then(() => Promise.all([fetch(`${api}/data`), fetch(`${api}/data`), fetch(`${api}/data`)]))
      .then(() => Tracelet.getTracelet()!.flush());
  }, api.origin);
  const durationMs = (s: ReceivedSpan) => Number(BigInt(s.raw.endTimeUnixNano) - BigInt(s.raw.startTimeUnixNano)) / 1e6;
  const slow = receiver.spans().find((s) => s.attributes['url.full'] === `${api.origin}/delay/600`)!;
  const fast = receiver.spans().find((s) => s.attributes['url.full'] === `${api.origin}/delay/50`)!;
  expect(durationMs(slow)).toBeGreaterThanOrEqual(590);
  expect(durationMs(fast)).toBeLessThan(500);
  // Each span's response phase lies inside its own span.
  for (const span of receiver.spans().filter((s) => s.scope === 'tracelet/fetch')) {
    const responseEnd = span.raw.events.find((e: any) => e.name === 'responseEnd');
    expect(responseEnd, String(span.attributes['url.full'])).toBeDefined();
    expect(BigInt(responseEnd.timeUnixNano)).toBeGreaterThanOrEqual(BigInt(span.raw.startTimeUnixNano));
    expect(BigInt(responseEnd.timeUnixNano)).toBeLessThanOrEqual(BigInt(span.raw.endTimeUnixNano));
  }
  const dataSpans = receiver.spans().filter((s) => s.attributes['url.full'] === `${api.origin}/data`);
  expect(new Set(dataSpans.map((s) => s.raw.events.find((e: any) => e.name === 'fetchStart').timeUnixNano)).size).toBe(3);
});

test('a fetch after a native await in a click handler joins the click trace', async ({ page, app, api, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  await page.click('#await-then-fetch');
  await receiver.waitFor(() => receiver.spans().some((s) => s.scope === 'tracelet/fetch') && receiver.spans().some((s) => s.name === 'click'), 'click and fetch');
  const click = byName(receiver.spans(), 'click')[0];
  const fetchSpan = receiver.spans().find((s) => s.scope === 'tracelet/fetch')!;
  expect(fetchSpan.traceId).toBe(click.traceId);
  expect(fetchSpan.parentSpanId).toBe(click.spanId);
  expect(traceparentOf(api.requests[0].headers)).toBe(`00-${click.traceId}-${fetchSpan.spanId}-01`);
});

test('overlapping interactions never adopt each other\'s requests', async ({ page, app, api, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  await page.evaluate((api) => {
    const a = document.createElement('button');
    const b = document.createElement('button');
    a.id = 'a';
    b.id = 'b';
    document.body.append(a, b);
    a.addEventListener('click', () => fetch(`${api}/delay/300?from=a`));
    b.addEventListener('click', () => fetch(`${api}/delay/10?from=b`));
  }, api.origin);
  await page.click('#a');
  await page.click('#b');
  await receiver.waitFor(() => byName(receiver.spans(), 'click').length === 2 && receiver.spans().filter((s) => s.scope === 'tracelet/fetch').length === 2, 'two clicks, two fetches');
  const clicks = byName(receiver.spans(), 'click');
  const clickA = clicks.find((c) => c.attributes.target_selector === 'button#a')!;
  const clickB = clicks.find((c) => c.attributes.target_selector === 'button#b')!;
  expect(clickA.traceId).not.toBe(clickB.traceId);
  const fetchOf = (from: string) => receiver.spans().find((s) => String(s.attributes['url.full']).includes(`from=${from}`))!;
  expect(fetchOf('a').parentSpanId).toBe(clickA.spanId);
  expect(fetchOf('b').parentSpanId).toBe(clickB.spanId);
});

test('a route change groups the requests made during it', async ({ page, app, api, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  await page.click('#navigate');
  await page.goBack();
  await receiver.waitFor(() => byName(receiver.spans(), 'routeChange').length === 2 && receiver.spans().some((s) => s.scope === 'tracelet/fetch'), 'two route changes and the fetch');
  const [push, pop] = byName(receiver.spans(), 'routeChange').sort((x, y) => (x.attributes['navigation.type'] === 'pushState' ? -1 : 1));
  const click = byName(receiver.spans(), 'click')[0];
  expect(push.attributes).toMatchObject({ 'navigation.type': 'pushState', 'url.full': `${app.origin}/cart` });
  expect(push.parentSpanId).toBe(click.spanId);
  expect(pop.attributes).toMatchObject({ 'navigation.type': 'popstate', 'url.full': `${app.origin}/e2e/fixtures/app.html` });
  const fetchSpan = receiver.spans().find((s) => s.scope === 'tracelet/fetch')!;
  expect(fetchSpan.parentSpanId).toBe(pop.spanId);
  expect(fetchSpan.traceId).toBe(pop.traceId);
});

test('a server that refuses the trace headers: after the first refusal they are not sent there again', async ({ page, receiver }) => {
  const strict = await startApi({ allowTraceHeaders: false });
  const site = await startSite({ ENDPOINT: receiver.url, API: strict.origin });
  try {
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await openApp(page, site.origin, receiver.url, [strict.origin]);
    const results = await page.evaluate((api) => {
      const get = () => fetch(`${api}/data`).then((r) => r.status, (e) => e.name);
      return get().then((first) => get().then((second) => [first, second]));
    }, strict.origin);
    // The first request fails as it would for any app that sends a header the server does not allow.
    expect(results).toEqual(['TypeError', 200]);
    expect(strict.requests).toHaveLength(1);
    expect(traceparentOf(strict.requests[0].headers)).toBeUndefined();
    expect(warnings.filter((w) => w.includes('traceparent'))).toHaveLength(1);
    await page.evaluate(() => Tracelet.getTracelet()!.flush());
    const [refused, next] = receiver.spans().filter((s) => s.scope === 'tracelet/fetch');
    expect(refused.raw.status.code).toBe(2);
    expect(refused.attributes['error.type']).toBe('TypeError');
    expect(next.attributes['http.response.status_code']).toBe(200);
  } finally {
    await site.close();
    await strict.close();
  }
});

test('a fetch to the page\'s own origin redirected to a server that refuses the trace headers still succeeds', async ({ page, receiver }) => {
  const bucket = await startApi({ allowTraceHeaders: false });
  const site = await startSite({ ENDPOINT: receiver.url, API: bucket.origin });
  try {
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await openApp(page, site.origin, receiver.url, []);
    const results = await page.evaluate((bucket) => {
      const to = (name: string) => `/download/${name}?redirect=${encodeURIComponent(`${bucket}/data?${name}`)}`;
      const get = (name: string, init?: RequestInit) => fetch(to(name), init).then((r) => r.status, (e) => e.name);
      // The app changes its own headers object once the call is made: the request as called is what is sent.
      const init = { headers: { 'x-app': 'as-called' } };
      const changed = get('b', init);
      init.headers['x-app'] = 'changed-later';
      const viaXhr = () =>
        new Promise((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('GET', to('c'));
          xhr.onloadend = () => resolve(xhr.status);
          xhr.send();
        });
      return Promise.all([get('a'), changed]).then(async (fetched) => [...fetched, await get('a'), await viaXhr()]);
    }, bucket.origin);
    // Sent again without the headers, once; after that, the URL gets none. An XHR has told the app already: it
    // fails as it would for any header that server does not allow.
    expect(results).toEqual([200, 200, 200, 0]);
    expect(bucket.requests.map((r) => r.path)).toEqual(['/data', '/data', '/data']);
    for (const request of bucket.requests) expect(traceparentOf(request.headers)).toBeUndefined();
    expect(bucket.requests.map((r) => r.headers['x-app']).filter(Boolean)).toEqual(['as-called']);
    // The page's own origin refuses nothing: no warning about it.
    expect(warnings.filter((w) => w.includes('traceparent'))).toEqual([]);
  } finally {
    await site.close();
    await bucket.close();
  }
});

test('a same-origin fetch that fails for any other reason is sent again once, and its URL keeps its trace headers', async ({ page, app, receiver }) => {
  const closed = await startApi();
  await closed.close();
  await page.goto(`${app.origin}/e2e/fixtures/app.html`);
  const seen = await page.evaluate(
    async ({ endpoint, closed }) => {
      // What reaches the browser's fetch: tracelet wraps the fetch it finds at init().
      const sent: string[] = [];
      const pageFetch = window.fetch;
      window.fetch = (input, init) => {
        const request = new Request(input, init);
        if (request.url.includes('/down')) sent.push(request.headers.has('traceparent') ? 'traceparent' : 'none');
        return pageFetch(input, init);
      };
      Tracelet.init({ serviceName: 'app', endpoint, instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
      // A redirect to a port nobody listens on: a network error whatever the headers.
      const get = () => fetch(`/down?redirect=${encodeURIComponent(`${closed}/data`)}`).then((r) => r.status, (e) => e.name);
      const results = [await get(), await get()];
      return { results, sent };
    },
    { endpoint: receiver.url, closed: closed.origin },
  );
  expect(seen.results).toEqual(['TypeError', 'TypeError']);
  // Each call: once with trace headers, once again without; the second call has them again.
  expect(seen.sent).toEqual(['traceparent', 'none', 'traceparent', 'none']);
  await page.evaluate(() => Tracelet.getTracelet()!.flush());
  const spans = receiver.spans().filter((s) => s.scope === 'tracelet/fetch');
  expect(spans.map((s) => s.attributes['error.type'])).toEqual(['TypeError', 'TypeError']);
});

test('a network error at a server that took our trace headers before is no refusal: they keep going there', async ({ page, app, api, receiver }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await openApp(page, app.origin, receiver.url, [api.origin]);
  const results = await page.evaluate((api) => {
    const get = (path: string) => fetch(`${api}${path}`).then((r) => r.status, (e) => e.name);
    return get('/data').then((first) => get('/drop').then((dropped) => get('/data').then((last) => [first, dropped, last])));
  }, api.origin);
  expect(results).toEqual([200, 'TypeError', 200]);
  const data = api.requests.filter((r) => r.path === '/data');
  expect(data).toHaveLength(2);
  for (const request of data) expect(traceparentOf(request.headers)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  expect(warnings.filter((w) => w.includes('traceparent'))).toEqual([]);
});

test('a response announcing its server span in Server-Timing is linked to it', async ({ page, app, api, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  const server = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  await page.evaluate((url) => fetch(url).then(() => Tracelet.getTracelet()!.flush()), `${api.origin}/server-timing/${server}`);
  const span = receiver.spans().find((s) => s.scope === 'tracelet/fetch')!;
  expect(span.raw.links).toEqual([
    expect.objectContaining({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }),
  ]);
});

test('a relative URL is read against <base href>: a base on another origin gets no traceparent', async ({ page, app, api, other, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  await page.evaluate((other) => {
    const base = document.createElement('base');
    base.href = `${other}/`;
    document.head.prepend(base);
    return fetch('data?via=base').then(() => Tracelet.getTracelet()!.flush());
  }, other.origin);
  expect(other.requests).toHaveLength(1);
  expect(traceparentOf(other.requests[0].headers)).toBeUndefined();
  expect(receiver.spans().map((s) => s.attributes['url.full'])).toContain(`${other.origin}/data?via=base`);
});

test('each request span ends once, as the request did: XHR re-opened in flight, failed sync XHR, opaque no-cors fetch', async ({ page, app, api, receiver }) => {
  const closedServer = await startApi();
  await closedServer.close();
  await openApp(page, app.origin, receiver.url, [api.origin]);
  await page.evaluate(
    ({ api, closed }) =>
      new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', `${api}/delay/300?first`);
        xhr.send();
        xhr.open('GET', `${api}/data?second`);
        xhr.onloadend = resolve;
        xhr.send();
      })
        .then(() => {
          const sync = new XMLHttpRequest();
          sync.open('GET', `${closed}/data?sync`, false);
          try {
            sync.send();
          } catch {
            // A failed synchronous request throws NetworkError.
          }
        })
        .then(
          () =>
            new Promise((resolve) => {
              const twice = new XMLHttpRequest();
              twice.open('GET', `${api}/delay/200?twice`);
              twice.onloadend = resolve;
              twice.send();
              try {
                twice.send();
              } catch {
                // InvalidStateError: the first request is still in flight, and goes on.
              }
            }),
        )
        .then(() => fetch(`${api}/data?opaque`, { mode: 'no-cors' }))
        .then(() => Tracelet.getTracelet()!.flush()),
    { api: api.origin, closed: closedServer.origin },
  );
  const spanOf = (suffix: string) => {
    const found = receiver.spans().filter((s) => String(s.attributes['url.full']).endsWith(suffix));
    expect(found, suffix).toHaveLength(1);
    return found[0];
  };
  expect(spanOf('?first').attributes['error.type']).toBe('abort');
  expect(spanOf('?second').attributes).toMatchObject({ 'http.response.status_code': 200 });
  expect(spanOf('?second').attributes['error.type']).toBeUndefined();
  expect(spanOf('?sync').attributes['error.type']).toBe('error');
  expect(spanOf('?twice').attributes).toMatchObject({ 'http.response.status_code': 200 });
  expect(spanOf('?twice').attributes['error.type']).toBeUndefined();
  const opaque = spanOf('?opaque');
  expect(opaque.attributes['error.type']).toBeUndefined();
  expect(opaque.attributes['http.response.status_code']).toBeUndefined();
  expect(opaque.raw.status).toBeUndefined();
});

test('shutdown() removes only its own wrappers: fetch, XHR and history patched by the app afterwards stay, and trace no more', async ({ page, app, api, receiver }) => {
  await openApp(page, app.origin, receiver.url, [api.origin]);
  const kept = await page.evaluate(async (api) => {
    const proto = XMLHttpRequest.prototype;
    const traced = { fetch: window.fetch, open: proto.open, pushState: history.pushState };
    const app = {
      fetch: function (this: unknown, ...args: Parameters<typeof fetch>) {
        return traced.fetch.apply(this, args);
      },
      open: function (this: XMLHttpRequest, method: string, url: string) {
        return traced.open.call(this, method, url, true);
      },
      pushState: function (this: History, ...args: Parameters<History['pushState']>) {
        return traced.pushState.apply(this, args);
      },
    };
    window.fetch = app.fetch as typeof fetch;
    proto.open = app.open as typeof proto.open;
    history.pushState = app.pushState;
    await Tracelet.getTracelet()!.shutdown();
    // The app's wrappers still call tracelet's, which now only pass the calls on.
    await fetch(`${api}/status/202`).then((r) => r.text());
    await new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', `${api}/status/203`);
      xhr.onloadend = resolve;
      xhr.send();
    });
    return { fetch: window.fetch === app.fetch, open: proto.open === app.open, pushState: history.pushState === app.pushState };
  }, api.origin);
  expect(kept).toEqual({ fetch: true, open: true, pushState: true });
  const after = api.requests.filter((r) => r.path === '/status/202' || r.path === '/status/203');
  expect(after).toHaveLength(2);
  for (const request of after) expect(traceparentOf(request.headers)).toBeUndefined();
});

test('methods are reported as sent: known ones by name, others as _OTHER with the original, and knownMethods extends the list', async ({ page, app, receiver }) => {
  await openApp(page, app.origin, receiver.url, []);
  await page.evaluate(async () => {
    // The browser sends `delete` as DELETE (the six standard methods in capitals, whatever their case), and
    // PROPFIND as written.
    await fetch('/methods?via=fetch', { method: 'delete' });
    await fetch('/methods?via=fetch', { method: 'PROPFIND' });
    await new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('propfind', '/methods?via=xhr');
      xhr.onloadend = resolve;
      xhr.send();
    });
    await Tracelet.getTracelet()!.shutdown();
  });
  const spans = () => receiver.spans().filter((s) => String(s.attributes['url.full']).includes('/methods'));
  const seen = (list: ReturnType<typeof spans>) =>
    [...list].sort((a, b) => (BigInt(a.raw.startTimeUnixNano) < BigInt(b.raw.startTimeUnixNano) ? -1 : 1)).map((s) => [s.name, s.attributes['http.request.method'], s.attributes['http.request.method_original'], s.scope]);
  expect(seen(spans())).toEqual([
    ['DELETE', 'DELETE', undefined, 'tracelet/fetch'],
    ['HTTP', '_OTHER', 'PROPFIND', 'tracelet/fetch'],
    ['HTTP', '_OTHER', 'propfind', 'tracelet/xhr'],
  ]);

  // The list replaces the default: GET is not in it.
  await page.evaluate(async (endpoint) => {
    const tracelet = Tracelet.init({ serviceName: 'app', endpoint, knownMethods: ['PROPFIND'], instrumentations: { pageLoad: false, webVitals: false, longTasks: false } });
    await fetch('/methods?via=custom', { method: 'PROPFIND' });
    await fetch('/methods?via=custom');
    await tracelet.flush();
  }, receiver.url);
  expect(seen(spans().filter((s) => String(s.attributes['url.full']).includes('custom')))).toEqual([
    ['PROPFIND', 'PROPFIND', undefined, 'tracelet/fetch'],
    ['HTTP', '_OTHER', 'GET', 'tracelet/fetch'],
  ]);
});

test('polling with one XHR re-opened from its own handler records each request as it ended, and an app abort refuses nothing', async ({ page, app, api, receiver }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await openApp(page, app.origin, receiver.url, [api.origin]);
  await page.evaluate(async (api) => {
    await new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      let polls = 1;
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== 4) return;
        if (polls === 3) return resolve(undefined);
        xhr.open('GET', `${api}/data?poll=${polls++}`);
        xhr.send();
      };
      xhr.open('GET', `${api}/data?poll=0`);
      xhr.send();
    });
    // The app cancels a request, giving a TypeError of its own as the reason.
    const controller = new AbortController();
    const cancelled = fetch(`${api}/delay/500`, { signal: controller.signal }).catch(() => undefined);
    controller.abort(new TypeError('superseded'));
    await cancelled;
    await fetch(`${api}/text`);
    await Tracelet.getTracelet()!.flush();
  }, api.origin);
  for (const poll of [0, 1, 2]) {
    const [span] = receiver.spans().filter((s) => s.attributes['url.full'] === `${api.origin}/data?poll=${poll}`);
    expect(span.attributes, `poll ${poll}`).toMatchObject({ 'http.response.status_code': 200 });
    expect(span.attributes['error.type'], `poll ${poll}`).toBeUndefined();
  }
  expect(traceparentOf(api.requests.find((r) => r.path === '/text')!.headers)).toMatch(/^00-/);
  expect(warnings.filter((w) => w.includes('traceparent'))).toEqual([]);
});

test('bad options get a warning and their default, and the collector is never traced however its URL is written', async ({ page, app, api, receiver }) => {
  const warnings: string[] = [];
  page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  await page.goto(`${app.origin}/e2e/fixtures/app.html`);
  // The collector's URL with its scheme and host in capitals: the same URL to the browser.
  const endpoint = receiver.url.replace('http://127.0.0.1', 'HTTP://127.0.0.1');
  await page.evaluate(
    async ({ endpoint, api }) => {
      const tracelet = Tracelet.init({
        serviceName: 'app',
        endpoint,
        sampleRate: 2,
        maxBatchSize: 0,
        propagateTo: api as unknown as string[],
        knownMethods: null as unknown as string[],
        // An unset variable in a list, a compression that does not exist, headers that are not an object.
        ignoreUrls: [undefined as unknown as string],
        compression: 'br' as 'gzip',
        headers: 'x-api-key' as unknown as Record<string, string>,
        instrumentations: { pageLoad: false, webVitals: false, longTasks: false, webvitals: false } as Record<string, boolean>,
      });
      await fetch(`${api}/data?via=bad-options`);
      await fetch(endpoint, { method: 'POST', body: '{}' }).catch(() => undefined);
      await tracelet.flush();
    },
    { endpoint, api: api.origin },
  );
  expect(warnings.filter((w) => w.startsWith('tracelet:')).sort()).toEqual([
    'tracelet: compression must be gzip or none; using "gzip"',
    'tracelet: headers must be an object; using {}',
    'tracelet: ignoreUrls must be an array of strings or RegExps; using []',
    'tracelet: instrumentations.webvitals does not exist; ignored',
    'tracelet: knownMethods must be an array of strings or RegExps; using ["CONNECT","DELETE","GET","HEAD","OPTIONS","PATCH","POST","PUT","TRACE"]',
    'tracelet: maxBatchSize must be 1 to Infinity; using 64',
    'tracelet: propagateTo must be an array of strings or RegExps; using []',
    'tracelet: sampleRate must be 0 to 1; using 1',
  ]);
  // Traced with the defaults: every trace recorded, GET known, and no traceparent for an origin not allowed.
  const spans = receiver.spans().filter((s) => s.scope === 'tracelet/fetch');
  expect(spans.map((s) => [s.name, s.attributes['url.full']])).toEqual([['GET', `${api.origin}/data?via=bad-options`]]);
  expect(traceparentOf(api.requests.find((r) => r.path === '/data')!.headers)).toBeUndefined();
});
