// The demo's OTLP/HTTP traces receiver and the JSON API behind the viewer, on plain node:http.
//
//   POST /v1/traces          OTLP/HTTP, JSON or protobuf, gzip or not (strict, like the OpenTelemetry Collector)
//   GET  /  /viewer          the viewer page
//   GET  /api/traces         recent traces, newest first
//   GET  /api/traces/:id     one trace with all its spans
//   GET  /api/service-map    services and the calls between them
//   GET  /api/stats          counters: requests, spans, evicted traces, rejections by reason, forwarding
//   GET  /api/events         Server-Sent Events: `traces` when new spans arrive
import { createServer } from 'node:http';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { decodeContent, HttpError, readBody } from './collector/body.mjs';
import { createForwarder, parseHeaderList } from './collector/forward.mjs';
import { decodeTraceRequest, encodeRpcStatus, encodeTraceResponse } from './collector/otlp-proto.mjs';
import { flattenSpans } from './collector/spans.mjs';
import { createTraceStore } from './collector/store.mjs';
import { validateTraceRequest } from './collector/validate.mjs';
import { sendFile } from './static-files.mjs';

const VIEWER_DIR = fileURLToPath(new URL('./viewer/', import.meta.url));
const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';
// google.rpc.Code values for the Status body of error answers (OTLP spec, "Failures").
const RPC_CODES = { 400: 3 /* INVALID_ARGUMENT */, 413: 8 /* RESOURCE_EXHAUSTED */, 415: 3 };

/** `application/json; charset=utf-8` -> `application/json`. */
const mediaType = (header = '') => header.split(';')[0].trim().toLowerCase();

function sendJson(response, status, value, headers = {}) {
  response.writeHead(status, { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers }).end(JSON.stringify(value));
}

/**
 * Starts the collector. `allowOrigins` is '*' or a list of page origins allowed to export from the browser;
 * `forwardTo` (default: env OTLP_FORWARD_URL) re-sends every accepted request there, with the headers of
 * `forwardHeaders` (default: env OTLP_FORWARD_HEADERS, `key=value,key2=value2`).
 */
export async function startCollector({
  port = 0,
  host = '127.0.0.1',
  maxTraces = 500,
  maxRequests = 100,
  maxBodyBytes = 4 * 1024 * 1024,
  maxDecodedBytes = 16 * 1024 * 1024,
  forwardTo = process.env.OTLP_FORWARD_URL,
  forwardHeaders = parseHeaderList(process.env.OTLP_FORWARD_HEADERS),
  allowOrigins = '*',
  log = console,
} = {}) {
  const store = createTraceStore({ maxTraces });
  const requests = [];
  // `requests` keeps only the last maxRequests, so the totals are counted apart.
  let accepted = 0;
  const rejected = {};
  const events = new EventEmitter();
  const sseClients = new Set();
  const forwarder = forwardTo
    ? createForwarder({ url: forwardTo, headers: forwardHeaders, log, onSettled: () => events.emit('change') })
    : undefined;

  const isAllowed = (origin) => allowOrigins === '*' || allowOrigins.includes(origin);

  /** CORS for the browser's export: echo an allowed Origin, allow the two headers exporters send, expose nothing. */
  function corsHeaders(request) {
    const origin = request.headers.origin;
    if (!origin || !isAllowed(origin)) return { vary: 'Origin' };
    return { 'access-control-allow-origin': origin, vary: 'Origin' };
  }

  function answerPreflight(request, response) {
    if (!isAllowed(request.headers.origin ?? '')) {
      sendJson(response, 403, { message: `origin ${request.headers.origin} is not allowed` }, { vary: 'Origin' });
      return;
    }
    response.writeHead(204, {
      ...corsHeaders(request),
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type, content-encoding',
      'access-control-max-age': '600',
    }).end();
  }

  /** Parses, checks and stores one export; throws HttpError for anything a strict receiver refuses. */
  async function accept(request, { body, bytes }) {
    const contentType = mediaType(request.headers['content-type']);
    if (contentType !== JSON_TYPE && contentType !== PROTOBUF_TYPE) {
      throw new HttpError(415, 'unsupported-content-type', `Content-Type "${contentType}" is not supported; send ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
    }
    if (!body) throw new HttpError(413, 'body-too-large', `body of ${bytes} bytes is larger than ${maxBodyBytes} bytes`);
    const contentEncoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
    const decoded = await decodeContent(body, contentEncoding, maxDecodedBytes);
    const payload = contentType === JSON_TYPE ? parseJson(decoded) : parseProtobuf(decoded);
    try {
      validateTraceRequest(payload);
    } catch (error) {
      throw new HttpError(400, 'invalid-payload', error.message);
    }
    const spans = flattenSpans(payload);
    store.add(spans);
    requests.push({
      at: Date.now(),
      contentType,
      contentEncoding,
      bodyBytes: bytes,
      decodedBytes: decoded.length,
      headers: { ...request.headers },
      spans,
      payload,
    });
    if (requests.length > maxRequests) requests.shift();
    accepted++;
    forwarder?.forward(body, request.headers['content-type'], request.headers['content-encoding']);
    if (spans.length) broadcast('traces', { traceIds: [...new Set(spans.map((span) => span.traceId))], spans: spans.length });
  }

  async function receiveTraces(request, response) {
    const cors = corsHeaders(request);
    const isProtobuf = mediaType(request.headers['content-type']) === PROTOBUF_TYPE;
    try {
      // Always the whole body first: see readBody.
      const received = await readBody(request, maxBodyBytes);
      await accept(request, received);
      if (isProtobuf) response.writeHead(200, { ...cors, 'content-type': PROTOBUF_TYPE }).end(encodeTraceResponse());
      else sendJson(response, 200, { partialSuccess: {} }, cors);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const reason = error instanceof HttpError ? error.reason : 'internal-error';
      rejected[reason] = (rejected[reason] ?? 0) + 1;
      if (status === 500) log.error('collector: failed to handle an export', error);
      // The error body is a google.rpc.Status in the request's own encoding, as the OTLP spec asks.
      const code = RPC_CODES[status] ?? 13; /* INTERNAL */
      if (isProtobuf) response.writeHead(status, { ...cors, 'content-type': PROTOBUF_TYPE }).end(encodeRpcStatus(code, error.message));
      else sendJson(response, status, { code, message: error.message }, cors);
    } finally {
      events.emit('change');
    }
  }

  function stats() {
    const rejectedCount = Object.values(rejected).reduce((sum, count) => sum + count, 0);
    return {
      requests: { accepted, rejected: rejectedCount, rejectedByReason: { ...rejected } },
      spans: store.counts.spans,
      traces: store.size,
      maxTraces,
      evictedTraces: store.counts.evictedTraces,
      droppedSpans: store.counts.droppedSpans,
      forwarding: forwarder ? { url: forwarder.url, ...forwarder.counts } : null,
    };
  }

  function openEventStream(request, response) {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    // Reconnect quickly when the collector restarts.
    response.write('retry: 2000\n\n');
    sseClients.add(response);
    request.on('close', () => sseClients.delete(response));
  }

  function broadcast(event, data) {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of sseClients) client.write(message);
  }

  async function route(request, response) {
    const { pathname } = new URL(request.url, 'http://collector');
    const method = request.method;
    if (pathname === '/v1/traces') {
      if (method === 'OPTIONS') return answerPreflight(request, response);
      if (method === 'POST') return receiveTraces(request, response);
      return sendJson(response, 405, { message: 'use POST' }, { allow: 'POST, OPTIONS' });
    }
    if (method !== 'GET' && method !== 'HEAD') return sendJson(response, 405, { message: 'the viewer API is read-only' }, { allow: 'GET' });
    if (pathname === '/' || pathname === '/viewer' || pathname === '/viewer/') return sendFile(response, VIEWER_DIR, 'index.html');
    if (pathname.startsWith('/viewer/')) return sendFile(response, VIEWER_DIR, pathname.slice('/viewer/'.length));
    if (pathname === '/api/traces') return sendJson(response, 200, store.list());
    if (pathname.startsWith('/api/traces/')) {
      const trace = store.get(pathname.slice('/api/traces/'.length));
      return trace ? sendJson(response, 200, trace) : sendJson(response, 404, { message: 'no such trace (it may have been evicted)' });
    }
    if (pathname === '/api/service-map') return sendJson(response, 200, store.serviceMap());
    if (pathname === '/api/stats') return sendJson(response, 200, stats());
    if (pathname === '/api/events') return openEventStream(request, response);
    return sendJson(response, 404, { message: `no route for ${method} ${pathname}` });
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error) => {
      log.error('collector: request failed', error);
      if (!response.headersSent) sendJson(response, 500, { message: error.message });
      else response.destroy();
    });
  });
  await listen(server, port, host);
  const actualPort = server.address().port;

  /**
   * Resolves with predicate(collector)'s first truthy result, checked now, after every export the collector answers
   * (accepted or not) and after every forward; rejects when `timeoutMs` passes first. Event-driven: no polling.
   */
  function waitFor(predicate, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        events.off('change', check);
      };
      const check = () => {
        try {
          const result = predicate(collector);
          if (result) {
            finish();
            resolve(result);
          }
        } catch (error) {
          finish();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        finish();
        const what = predicate.name || 'predicate';
        reject(new Error(`collector.waitFor(${what}): not true within ${timeoutMs} ms (${accepted} exports accepted, ${store.size} traces held)`));
      }, timeoutMs);
      events.on('change', check);
      check();
    });
  }

  async function close() {
    forwarder?.close();
    for (const client of sseClients) client.end();
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  }

  const collector = { url: `http://${host}:${actualPort}`, port: actualPort, close, store, requests, waitFor, stats };
  return collector;
}

function parseJson(buffer) {
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `body is not valid JSON: ${error.message}`);
  }
}

function parseProtobuf(buffer) {
  try {
    return decodeTraceRequest(buffer);
  } catch (error) {
    throw new HttpError(400, 'invalid-protobuf', `body is not a valid ExportTraceServiceRequest: ${error.message}`);
  }
}

/** Listens, turning "port in use" into a one-line error that names the port. */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use`, { cause: error }) : error);
    });
    server.listen(port, host, resolve);
  });
}
