// Recent traces in bounded memory: at most `maxTraces` traces of at most MAX_SPANS_PER_TRACE spans each. When a
// new trace would exceed the bound, the trace that arrived first is evicted and counted.

// A runaway page (a span per animation frame) must not grow one trace without limit either.
const MAX_SPANS_PER_TRACE = 2000;

const HTTP_METHOD_KEYS = ['http.request.method', 'http.method'];
const HTTP_PATH_KEYS = ['url.full', 'http.url', 'url.path', 'http.target', 'http.route'];

const first = (attributes, keys) => keys.map((key) => attributes[key]).find((value) => value !== undefined);

/**
 * `POST /api/checkout` for an HTTP span, `/cart` for a span with only a URL (a page load, a route change), else
 * undefined: tells apart traces whose roots are all named `click`.
 */
function urlLabel(span) {
  const target = first(span.attributes, HTTP_PATH_KEYS);
  if (!target) return undefined;
  const path = String(target).replace(/^[a-z]+:\/\/[^/]+/i, '') || '/';
  const method = first(span.attributes, HTTP_METHOD_KEYS);
  return method ? `${method} ${path}` : path;
}

const percentile = (sorted, fraction) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
const round = (ms) => Math.round(ms * 10) / 10;

export function createTraceStore({ maxTraces = 500 } = {}) {
  /** traceId -> Map(spanId -> span), in order of first arrival (Map keeps insertion order). */
  const traces = new Map();
  const counts = { spans: 0, evictedTraces: 0, droppedSpans: 0 };

  function add(spans) {
    for (const span of spans) {
      let trace = traces.get(span.traceId);
      if (!trace) {
        if (traces.size >= maxTraces) {
          const [oldest] = traces.keys();
          traces.delete(oldest);
          counts.evictedTraces++;
        }
        trace = new Map();
        traces.set(span.traceId, trace);
      }
      if (trace.size >= MAX_SPANS_PER_TRACE && !trace.has(span.spanId)) {
        counts.droppedSpans++;
        continue;
      }
      // Keyed by span id, so a batch an exporter sends twice (a retry) does not double the spans.
      trace.set(span.spanId, span);
      counts.spans++;
    }
  }

  const spansOf = (trace) => [...trace.values()].sort((a, b) => a.startMs - b.startMs);

  function summary(traceId, trace) {
    const spans = spansOf(trace);
    // The root is the earliest span without a parent here; a trace whose browser spans have not arrived yet has
    // its server span as root until they do.
    const root = spans.find((span) => !span.parentSpanId || !trace.has(span.parentSpanId)) ?? spans[0];
    const startMs = spans[0].startMs;
    const endMs = Math.max(...spans.map((span) => span.endMs));
    return {
      traceId,
      rootName: root.name,
      rootService: root.service,
      label: spans.map(urlLabel).find((label) => label && label !== root.name) ?? '',
      services: [...new Set(spans.map((span) => span.service))],
      startMs,
      durationMs: round(endMs - startMs),
      spanCount: spans.length,
      error: spans.some((span) => span.status.code === 'ERROR'),
    };
  }

  /** Summaries of all traces, the most recently started first. */
  const list = () => [...traces].map(([id, trace]) => summary(id, trace)).sort((a, b) => b.startMs - a.startMs);

  function get(traceId) {
    const trace = traces.get(traceId.toLowerCase());
    return trace && { ...summary(traceId.toLowerCase(), trace), spans: spansOf(trace) };
  }

  /**
   * Services and the calls between them: an edge for every parent -> child span pair whose service.name differs.
   * Latency is the child's (the callee's server span) duration; a call is an error when the callee's span, or the
   * caller's CLIENT span, has status ERROR.
   */
  function serviceMap() {
    const nodes = new Map();
    const edges = new Map();
    for (const trace of traces.values()) {
      for (const span of trace.values()) {
        const node = nodes.get(span.service) ?? { service: span.service, spans: 0, errors: 0, runtime: runtimeOf(span.resource) };
        node.spans++;
        if (span.status.code === 'ERROR') node.errors++;
        nodes.set(span.service, node);
        const parent = span.parentSpanId && trace.get(span.parentSpanId);
        if (!parent || parent.service === span.service) continue;
        const key = `${parent.service}\n${span.service}`;
        const edge = edges.get(key) ?? { from: parent.service, to: span.service, requests: 0, errors: 0, durations: [] };
        edge.requests++;
        if (span.status.code === 'ERROR' || (parent.kind === 'CLIENT' && parent.status.code === 'ERROR')) edge.errors++;
        edge.durations.push(span.durationMs);
        edges.set(key, edge);
      }
    }
    return {
      nodes: [...nodes.values()],
      edges: [...edges.values()].map(({ durations, ...edge }) => {
        const sorted = durations.sort((a, b) => a - b);
        const sum = sorted.reduce((total, ms) => total + ms, 0);
        return { ...edge, p50Ms: round(percentile(sorted, 0.5)), avgMs: round(sum / sorted.length) };
      }),
    };
  }

  return {
    add,
    list,
    get,
    serviceMap,
    get size() {
      return traces.size;
    },
    counts,
  };
}

/** What runs the service, for the map: `webjs` for a browser SDK, `nodejs`, ... from the standard resource keys. */
function runtimeOf(resource) {
  return String(resource['telemetry.sdk.language'] ?? resource['process.runtime.name'] ?? '');
}
