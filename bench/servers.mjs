// The three local servers a benchmark run needs, each on 127.0.0.1 and a free port:
// - page: the benchmark page, cross-origin isolated (COOP + COEP) so performance.now() ticks in 5 µs steps, not 100 µs
//   (https://developer.chrome.com/blog/cross-origin-isolated-hr-timers); also the same-origin fetch target;
// - api: another origin that allows `traceparent` through CORS, the cross-origin fetch target; it records which
//   requests carried `traceparent` so the run can check propagation really happened;
// - receiver: an OTLP/HTTP endpoint that counts the bytes each page sends and the spans inside them.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const ISOLATED = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>tracelet bench</title>
<script src="/zone.js"></script>
<script src="/page.js"></script>`;

/** Starts a server on a free loopback port; resolves to `{ origin, close }`. */
function listen(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const close = () => {
        server.closeAllConnections();
        server.close();
      };
      resolve({ origin: `http://127.0.0.1:${server.address().port}`, close });
    });
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Spans in one OTLP/JSON request body, or null when the body is not OTLP/JSON (then only bytes are counted). */
function countSpans(body, headers) {
  try {
    const raw = headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
    const { resourceSpans = [] } = JSON.parse(raw.toString('utf8'));
    return resourceSpans.reduce((n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0);
  } catch {
    return null;
  }
}

/**
 * @param {{ zone: string, page: string }} files paths of zone.js and the in-page harness
 */
export async function startServers(files) {
  const scripts = { '/zone.js': readFileSync(files.zone), '/page.js': readFileSync(files.page) };
  const page = await listen((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { ...ISOLATED, 'Content-Type': 'text/html' }).end(PAGE_HTML);
    if (scripts[path]) return res.writeHead(200, { ...ISOLATED, 'Content-Type': 'text/javascript' }).end(scripts[path]);
    if (path === '/ping') return res.writeHead(200, { ...ISOLATED, 'Content-Type': 'text/plain' }).end('pong');
    res.writeHead(404, ISOLATED).end();
  });

  const cors = {
    'Access-Control-Allow-Origin': page.origin,
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'content-type, content-encoding, traceparent, tracestate',
    // Preflights are cached as a real API would cache them, so the steady state is measured, not preflight latency.
    'Access-Control-Max-Age': '600',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Timing-Allow-Origin': page.origin,
    'Cache-Control': 'no-store',
  };

  /** Cross-origin `/ping` requests by `?i=` (1: made through the instrumented fetch, 0: baseline) and traceparent. */
  const pings = { instrumented: 0, instrumentedWithTraceparent: 0, baseline: 0, baselineWithTraceparent: 0 };
  const api = await listen((req, res) => {
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    const url = new URL(req.url, 'http://x');
    if (url.pathname !== '/ping') return res.writeHead(404, cors).end();
    const kind = url.searchParams.get('i') === '1' ? 'instrumented' : 'baseline';
    pings[kind]++;
    if (req.headers.traceparent) pings[`${kind}WithTraceparent`]++;
    res.writeHead(200, { ...cors, 'Content-Type': 'text/plain' }).end('pong');
  });

  /** Per page id (the first path segment of the endpoint URL): requests, body bytes as sent, spans decoded. */
  const received = new Map();
  const receiver = await listen(async (req, res) => {
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    const id = new URL(req.url, 'http://x').pathname.split('/')[1];
    const body = await readBody(req).catch(() => null); // the page was closed mid-request
    if (!body) return res.destroy();
    const stats = received.get(id) ?? { requests: 0, bytes: 0, spans: 0, undecoded: 0 };
    const spans = countSpans(body, req.headers);
    stats.requests++;
    stats.bytes += body.length;
    if (spans === null) stats.undecoded++;
    else stats.spans += spans;
    received.set(id, stats);
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end('{}');
  });

  return {
    pageOrigin: page.origin,
    apiOrigin: api.origin,
    endpoint: (id) => `${receiver.origin}/${id}/v1/traces`,
    received: (id) => ({ requests: 0, bytes: 0, spans: 0, undecoded: 0, ...received.get(id) }),
    takePings: () => {
      const copy = { ...pings };
      for (const key in pings) pings[key] = 0;
      return copy;
    },
    close: () => [page, api, receiver].forEach((s) => s.close()),
  };
}
