import { test, expect } from './support/fixtures';
import { startApi } from './support/api';

declare const Tracelet: typeof import('../src/index');

/**
 * Runs a table of fetch and XHR cases in the page and summarises what the app sees: results, errors (type,
 * name, message), headers, bodies, readyState sequences and events. Runs once with the browser's own fetch and
 * XHR, once traced; the two summaries must be equal.
 */
const runCases = ({ api, closed }: { api: string; closed: string }) => {
  type Summary = Record<string, unknown>;
  const describeError = (e: any): Summary => ({ error: e?.constructor?.name, name: e?.name, message: e?.message });
  const describeResponse = (r: Response, body: unknown): Summary => ({
    status: r.status,
    ok: r.ok,
    type: r.type,
    statusText: r.statusText,
    redirected: r.redirected,
    url: r.url,
    contentType: r.headers.get('content-type'),
    servedBy: r.headers.get('x-served-by'),
    body,
  });
  const viaFetch = (name: string, run: () => Promise<Response>, read: (r: Response) => Promise<unknown> = (r) => r.text()) =>
    Promise.resolve()
      .then(run)
      .then(
        (r) => read(r).then((body) => ({ name, ...describeResponse(r, body) })),
        (e) => ({ name, ...describeError(e) }),
      );
  const streamText = (r: Response) => {
    const reader = r.body!.getReader();
    const chunks: number[] = [];
    const pump = (): Promise<string> =>
      reader.read().then(({ done, value }) => (done ? new TextDecoder().decode(new Uint8Array(chunks)) : (chunks.push(...value!), pump())));
    return pump();
  };
  const viaXhr = (name: string, setup: (xhr: XMLHttpRequest) => void, send: (xhr: XMLHttpRequest) => void = (x) => x.send()) =>
    new Promise<Summary>((resolve) => {
      const xhr = new XMLHttpRequest();
      const states: number[] = [xhr.readyState];
      const events: string[] = [];
      const handlers: string[] = [];
      xhr.onreadystatechange = () => states.push(xhr.readyState);
      for (const type of ['loadstart', 'load', 'error', 'abort', 'timeout', 'loadend']) xhr.addEventListener(type, () => events.push(type));
      xhr.onload = () => handlers.push('onload');
      xhr.onerror = () => handlers.push('onerror');
      const done = () =>
        resolve({ name, states, events, handlers, status: xhr.status, statusText: xhr.statusText, response: xhr.responseType === 'json' ? xhr.response : xhr.responseText, headers: xhr.getResponseHeader('content-type') });
      xhr.addEventListener('loadend', done);
      try {
        setup(xhr);
        send(xhr);
        if (xhr.readyState === 4 && !events.includes('loadend')) done();
      } catch (e) {
        resolve({ name, thrown: describeError(e), states });
      }
    });

  const aborted = new AbortController();
  aborted.abort();
  const used = new Request(`${api}/data`, { method: 'POST', body: 'once' });
  const fetches = [
    viaFetch('string url', () => fetch(`${api}/data`)),
    viaFetch('URL object', () => fetch(new URL(`${api}/data?u=1`))),
    viaFetch('relative url', () => fetch('/e2e/fixtures/zone-bundle.html'), (r) => r.text().then((t) => t.length)),
    viaFetch('Request with headers', () => fetch(new Request(`${api}/data`, { method: 'POST', headers: { 'x-app': 'req' }, body: 'x' }))),
    viaFetch('Request plus init', () => fetch(new Request(`${api}/data`, { headers: { 'x-app': 'req' } }), { headers: [['x-app', 'init']] })),
    viaFetch('Headers object', () => fetch(`${api}/data`, { headers: new Headers({ 'x-app': 'h' }) })),
    viaFetch('header pairs', () => fetch(`${api}/data`, { headers: [['x-app', 'p']] })),
    viaFetch('header record', () => fetch(`${api}/data`, { headers: { 'x-app': 'r' } })),
    viaFetch('app traceparent kept', () => fetch(`${api}/data?own=1`, { headers: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' } })),
    viaFetch('POST string', () => fetch(`${api}/data`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } })),
    viaFetch('POST Blob', () => fetch(`${api}/data`, { method: 'POST', body: new Blob(['abc'], { type: 'text/plain' }) })),
    viaFetch('POST ArrayBuffer', () => fetch(`${api}/data`, { method: 'POST', body: new Uint8Array([1, 2, 3]).buffer })),
    viaFetch('POST URLSearchParams', () => fetch(`${api}/data`, { method: 'POST', body: new URLSearchParams({ a: '1' }) })),
    viaFetch('POST FormData', () => {
      const form = new FormData();
      form.append('a', '1');
      return fetch(`${api}/data`, { method: 'POST', body: form });
    }),
    viaFetch('POST stream', () =>
      fetch(`${api}/data`, { method: 'POST', body: new Blob(['streamed']).stream(), duplex: 'half' } as RequestInit),
    ),
    viaFetch('response stream', () => fetch(`${api}/text`), streamText),
    viaFetch('json body', () => fetch(`${api}/data`), (r) => r.json()),
    viaFetch('status 500', () => fetch(`${api}/status/500`)),
    viaFetch('status 404 text', () => fetch(`${api}/status/404`), (r) => r.text()),
    viaFetch('already aborted', () => fetch(`${api}/data`, { signal: aborted.signal })),
    viaFetch('aborted in flight', () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 50);
      return fetch(`${api}/delay/2000`, { signal: controller.signal });
    }),
    viaFetch('abort reason', () => {
      const controller = new AbortController();
      controller.abort(new Error('custom reason'));
      return fetch(`${api}/data`, { signal: controller.signal });
    }),
    viaFetch('invalid url', () => fetch('http://[::1')),
    viaFetch('network error', () => fetch(`${closed}/data`)),
    viaFetch('used body', () => used.text().then(() => fetch(used))),
    viaFetch('unbound this', () => fetch.call(undefined, `${api}/data`)),
    viaFetch('bad method', () => fetch(`${api}/data`, { method: 'CONNECT' })),
    viaFetch('Request without referrer', () => fetch(new Request(`${api}/data?referrer=none`, { referrerPolicy: 'no-referrer' }))),
    viaFetch('inherited init', () => fetch(`${api}/data?inherited=1`, Object.create({ method: 'POST', body: 'from the prototype' }))),
    viaFetch('invalid header value', () => fetch(`${api}/data`, { headers: { 'x-app': 'caf\u00e9\u20ac' } })),
    viaFetch('no-cors', () => fetch(`${api}/data?no-cors=1`, { mode: 'no-cors' })),
  ];
  const xhrs = [
    viaXhr('xhr GET', (x) => x.open('GET', `${api}/data`)),
    viaXhr('xhr sync', (x) => x.open('GET', `${api}/data?sync=1`, false)),
    viaXhr('xhr json', (x) => {
      x.open('GET', `${api}/data`);
      x.responseType = 'json';
    }),
    viaXhr('xhr POST with header', (x) => {
      x.open('POST', `${api}/data`);
      x.setRequestHeader('x-app', 'xhr');
    }, (x) => x.send('body')),
    viaXhr('xhr app traceparent kept', (x) => {
      x.open('GET', `${api}/data?own=2`);
      x.setRequestHeader('traceparent', '00-33333333333333333333333333333333-4444444444444444-01');
    }),
    viaXhr('xhr 500', (x) => x.open('GET', `${api}/status/500`)),
    viaXhr('xhr abort', (x) => x.open('GET', `${api}/delay/2000`), (x) => {
      x.send();
      setTimeout(() => x.abort(), 30);
    }),
    viaXhr('xhr timeout', (x) => {
      x.open('GET', `${api}/delay/2000`);
      x.timeout = 50;
    }),
    viaXhr('xhr network error', (x) => x.open('GET', `${closed}/data`)),
    viaXhr('xhr send without open', () => {}),
    viaXhr('xhr reopened', (x) => {
      x.open('GET', `${api}/data?first`);
      x.open('GET', `${api}/data?second`);
    }),
    viaXhr('xhr reopened in flight', (x) => {
      x.open('GET', `${api}/delay/300?first`);
      x.send();
      x.open('GET', `${api}/data?second`);
    }),
    viaXhr('xhr bad method', (x) => x.open('GET', `${api}/data?kept`), (x) => {
      try {
        x.open('BAD METHOD', `${api}/data?refused`);
      } catch {
        // The XHR stays opened on its first URL.
      }
      x.send();
    }),
  ];
  return Promise.all([...fetches, ...xhrs]);
};

test('traced fetch and XHR behave exactly as the browser\'s own', async ({ page, site, receiver }) => {
  const api = await startApi();
  const closedServer = await startApi();
  const closed = closedServer.origin;
  await closedServer.close();
  try {
    await page.goto(`${site.origin}/e2e/fixtures/zone-bundle.html`);
    const plain = await page.evaluate(runCases, { api: api.origin, closed });
    const plainRequests = api.requests.splice(0);
    await page.evaluate(
      ({ endpoint, api }) => void Tracelet.init({ serviceName: 'transparency', endpoint, propagateTo: [api], batchDelay: 50 }),
      { endpoint: receiver.url, api: api.origin },
    );
    const traced = await page.evaluate(runCases, { api: api.origin, closed });
    expect(traced).toEqual(plain);

    // The server saw the same requests and headers, plus trace context where the app had none of its own.
    // Requests aborted in flight reach the server at times of their own, so they are left out.
    const seen = (requests: typeof plainRequests) =>
      requests
        .filter((r) => !r.path.startsWith('/delay/'))
        .map(({ method, path, headers }) => {
          const names = Object.keys(headers).filter((h) => h !== 'traceparent' && h !== 'tracestate').sort();
          const appParent = /^00-(1111|3333)/.test(String(headers.traceparent)) ? headers.traceparent : undefined;
          return JSON.stringify({ method, path, names, app: headers['x-app'], type: headers['content-type']?.split(';')[0], appParent });
        })
        .sort();
    expect(seen(api.requests)).toEqual(seen(plainRequests));
    expect(plainRequests.filter((r) => r.headers.traceparent)).toHaveLength(2);
    expect(api.requests.filter((r) => r.headers.traceparent).length).toBeGreaterThan(15);

    await page.evaluate(() => Tracelet.getTracelet()!.flush());
    const scopes = receiver.spans().map((s) => s.scope);
    expect(scopes.filter((s) => s === 'tracelet/fetch').length).toBeGreaterThanOrEqual(20);
    expect(scopes.filter((s) => s === 'tracelet/xhr').length).toBeGreaterThanOrEqual(8);
  } finally {
    await api.close();
  }
});
