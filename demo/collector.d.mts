// Types for collector.mjs, for the TypeScript tests that use it.

export interface CollectorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Traces kept in memory before the oldest is evicted. Default 500. */
  maxTraces?: number;
  /** Accepted requests kept in `requests`. Default 100. */
  maxRequests?: number;
  /** Largest body accepted as sent, in bytes (413 past it). Default 4 MiB. */
  maxBodyBytes?: number;
  /** Largest body accepted after gunzip, in bytes (413 past it). Default 16 MiB. */
  maxDecodedBytes?: number;
  /** OTLP/HTTP traces URL every accepted request is forwarded to. Default: env OTLP_FORWARD_URL. */
  forwardTo?: string;
  /** Headers added when forwarding. Default: env OTLP_FORWARD_HEADERS (`key=value,key2=value2`). */
  forwardHeaders?: Record<string, string>;
  /** Page origins allowed to export from a browser (CORS), or '*' (default) for any. */
  allowOrigins?: '*' | string[];
  /** Where forwarding failures and internal errors are written. Default console. */
  log?: Pick<Console, 'warn' | 'error'>;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  startMs: number;
  endMs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
  events: { name: string; timeMs: number; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message: string };
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
  service: string;
}

export interface ReceivedRequest {
  /** Epoch ms when it was accepted. */
  at: number;
  contentType: 'application/json' | 'application/x-protobuf';
  /** '' when the body was not compressed. */
  contentEncoding: string;
  /** Size on the wire. */
  bodyBytes: number;
  /** Size after gunzip. */
  decodedBytes: number;
  headers: Record<string, string | string[] | undefined>;
  spans: Span[];
  /** The ExportTraceServiceRequest in its OTLP/JSON shape. */
  payload: { resourceSpans?: unknown[] };
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  /** The trace's first URL, as `POST /api/checkout` (or `/cart` for a span with a URL only), unless the root is named so. */
  label: string;
  services: string[];
  startMs: number;
  durationMs: number;
  spanCount: number;
  error: boolean;
}

export interface ServiceMap {
  nodes: { service: string; spans: number; errors: number; runtime: string }[];
  edges: { from: string; to: string; requests: number; errors: number; p50Ms: number; avgMs: number }[];
}

export interface Stats {
  requests: { accepted: number; rejected: number; rejectedByReason: Record<string, number> };
  spans: number;
  traces: number;
  maxTraces: number;
  evictedTraces: number;
  droppedSpans: number;
  forwarding: { url: string; forwarded: number; failed: number; lastError: string } | null;
}

export interface TraceStore {
  list(): TraceSummary[];
  get(traceId: string): (TraceSummary & { spans: Span[] }) | undefined;
  serviceMap(): ServiceMap;
  readonly size: number;
  counts: { spans: number; evictedTraces: number; droppedSpans: number };
}

export interface Collector {
  /** `http://127.0.0.1:PORT`; the receiver is at `${url}/v1/traces`, the viewer at `${url}/`. */
  url: string;
  port: number;
  store: TraceStore;
  /** The last accepted requests, oldest first. */
  requests: ReceivedRequest[];
  stats(): Stats;
  /** Resolves with predicate's first truthy result, checked now and after every export and forward; rejects after timeoutMs (default 10 s). */
  waitFor<T>(predicate: (collector: Collector) => T, timeoutMs?: number): Promise<Exclude<T, false | null | undefined | 0 | ''>>;
  close(): Promise<void>;
}

export function startCollector(options?: CollectorOptions): Promise<Collector>;
