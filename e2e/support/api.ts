import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the API saw it. */
export interface ApiRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

/**
 * A local backend on its own origin, for requests from fixture pages. It records the headers of every request
 * (so tests can check `traceparent`) and answers CORS; `allowTraceHeaders: false` makes it refuse the trace
 * headers in preflights, as a server whose CORS settings were never told about them does.
 *
 * Routes: `/data` answers JSON; `/status/N` answers status N; `/delay/MS` answers after MS ms; `/text` plain text;
 * `/server-timing/TRACEPARENT` answers with `Server-Timing: traceparent;desc="TRACEPARENT"`; `/drop` closes the
 * connection without an answer, a network error to the browser.
 */
export const startApi = async ({ allowTraceHeaders = true } = {}) => {
  const requests: ApiRequest[] = [];
  const server = createServer((req, res) => {
    const origin = req.headers.origin ?? '*';
    const allowed = ['content-type', 'x-app', ...(allowTraceHeaders ? ['traceparent', 'tracestate', 'baggage'] : [])];
    const cors = {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-expose-headers': 'x-served-by',
      'timing-allow-origin': '*',
      vary: 'origin',
    };
    if (req.method === 'OPTIONS') {
      const asked = String(req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
      if (asked.some((h) => !allowed.includes(h.toLowerCase()))) return res.writeHead(403).end();
      return res.writeHead(204, { ...cors, 'access-control-allow-headers': allowed.join(', ') }).end();
    }
    const path = new URL(req.url!, 'http://x').pathname;
    requests.push({ method: req.method!, path, headers: req.headers });
    req.resume();
    req.on('end', () => {
      const [, route, arg] = path.split('/');
      const answer = (status: number, body = JSON.stringify({ ok: status < 400, path })) =>
        res.writeHead(status, { ...cors, 'content-type': 'application/json', 'x-served-by': 'api' }).end(body);
      if (route === 'status') return answer(Number(arg));
      if (route === 'delay') return setTimeout(() => answer(200), Number(arg));
      if (route === 'server-timing') res.setHeader('server-timing', `traceparent;desc="${arg}"`);
      if (route === 'drop') return req.socket.destroy();
      if (route === 'text') return res.writeHead(200, { ...cors, 'content-type': 'text/plain' }).end('plain text');
      answer(200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
