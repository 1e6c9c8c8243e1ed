import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One export request as it arrived, decoded. */
export interface Received {
  headers: IncomingMessage['headers'];
  /** Bytes on the wire (compressed when gzip). */
  bytes: number;
  body: any;
}

/** A flattened span, as tests look at it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  raw: any;
  scope: string;
  resource: Record<string, unknown>;
}

const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);
const NANOS = /^\d{1,19}$/;

const plain = (value: any): unknown => {
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(plain);
  return null;
};

const attributeMap = (list: any[] | undefined) => Object.fromEntries((list ?? []).map((kv) => [kv.key, plain(kv.value)]));

/** Checks an OTLP JSON request the way a strict receiver would; throws with the reason. */
const validate = (body: any) => {
  if (!Array.isArray(body?.resourceSpans)) throw new Error('resourceSpans missing');
  for (const rs of body.resourceSpans) {
    for (const ss of rs.scopeSpans ?? []) {
      if (typeof ss.scope?.name !== 'string') throw new Error('scope name missing');
      for (const s of ss.spans ?? []) {
        if (!HEX(32).test(s.traceId) || /^0+$/.test(s.traceId)) throw new Error(`bad traceId ${s.traceId}`);
        if (!HEX(16).test(s.spanId) || /^0+$/.test(s.spanId)) throw new Error(`bad spanId ${s.spanId}`);
        if (s.parentSpanId !== undefined && !HEX(16).test(s.parentSpanId)) throw new Error(`bad parentSpanId ${s.parentSpanId}`);
        if (!NANOS.test(s.startTimeUnixNano) || !NANOS.test(s.endTimeUnixNano)) throw new Error('bad times');
        if (BigInt(s.endTimeUnixNano) < BigInt(s.startTimeUnixNano)) throw new Error('span ends before it starts');
        if (typeof s.name !== 'string' || !(s.kind >= 1 && s.kind <= 5)) throw new Error('bad name or kind');
      }
    }
  }
};

/**
 * A local OTLP/HTTP JSON receiver for tests. It checks every request as a strict receiver would (content type,
 * gzip, ids, times) and answers 400 when one is wrong. `answer` can make it fail on purpose.
 */
export const startReceiver = async (
  answer: (requestNumber: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 }),
) => {
  const requests: Received[] = [];
  const rejected: string[] = [];
  let count = 0;
  let changed: () => void = () => {};

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, content-encoding');
    res.setHeader('Access-Control-Expose-Headers', 'retry-after');
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    if (req.method !== 'POST' || req.url !== '/v1/traces') return res.writeHead(404).end();
    const fail = (status: number, message: string) => {
      rejected.push(message);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
      changed();
    };
    if (req.headers['content-type'] !== 'application/json') return fail(415, `content-type ${req.headers['content-type']}`);
    const planned = answer(++count);
    if (planned.status !== 200) {
      res.writeHead(planned.status, planned.headers).end('try later');
      changed();
      return;
    }
    let body: any;
    try {
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      body = JSON.parse(text.toString('utf8'));
      validate(body);
    } catch (error) {
      return fail(400, String(error));
    }
    requests.push({ headers: req.headers, bytes: raw.length, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    changed();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const spans = (): ReceivedSpan[] =>
    requests.flatMap(({ body }) =>
      body.resourceSpans.flatMap((rs: any) =>
        (rs.scopeSpans ?? []).flatMap((ss: any) =>
          (ss.spans ?? []).map((raw: any) => ({
            traceId: raw.traceId,
            spanId: raw.spanId,
            parentSpanId: raw.parentSpanId,
            name: raw.name,
            kind: raw.kind,
            attributes: attributeMap(raw.attributes),
            raw,
            scope: ss.scope.name,
            resource: attributeMap(rs.resource?.attributes),
          })),
        ),
      ),
    );

  return {
    url: `${origin}/v1/traces`,
    origin,
    requests,
    rejected,
    spans,
    /** How many requests reached the receiver, answered or refused on purpose. */
    attempts: () => count,
    /** Resolves once `condition` holds, checked after every request; rejects after `timeout` ms. */
    waitFor(condition: () => boolean, what: string, timeout = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}; got ${spans().length} spans in ${requests.length} requests, rejected: ${rejected.join('; ')}`)), timeout);
        changed = () => {
          if (condition()) {
            clearTimeout(timer);
            resolve();
          }
        };
        changed();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
