// The OpenTelemetry web SDK set up the way its docs show for a browser app, doing the same job as tracelet with
// only fetch instrumented: WebTracerProvider + BatchSpanProcessor + OTLP/HTTP (JSON) exporter + ZoneContextManager
// + FetchInstrumentation. Built by bench/rollup.config.mjs into a global `OTelBench` with tracelet's small surface
// (`init(options)` -> `{ tracer, flush, shutdown }`), so one harness drives both. The tracer is OpenTelemetry's own,
// unwrapped: a wrapper would add its cost to OpenTelemetry's per-span numbers.
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
// context-zone re-exports context-zone-peer-dep and imports zone.js for its side effect; the rollup config keeps
// zone.js out of the bundle, because the page loads zone.js once for both libraries.
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * @param {object} options
 * @param {string} options.serviceName
 * @param {string} options.endpoint OTLP/HTTP traces URL
 * @param {string[]} [options.propagateTo] URL prefixes (other origins) that get `traceparent`
 * @param {boolean} [options.fetch] instrument fetch (default true)
 */
export function init({ serviceName, endpoint, propagateTo = [], fetch = true }) {
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    // OpenTelemetry's batching defaults (queue 2048, 512 spans per request, 5 s delay); tracelet runs with its own.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))],
  });
  provider.register({ contextManager: new ZoneContextManager() });
  // OpenTelemetry matches a string against the whole URL, tracelet takes it as a prefix: prefix RegExps, as an app
  // would write them, make both send traceparent to the same URLs.
  const prefixes = propagateTo.map((prefix) => new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const instrumentations = fetch ? [new FetchInstrumentation({ propagateTraceHeaderCorsUrls: prefixes })] : [];
  const unregister = registerInstrumentations({ instrumentations, tracerProvider: provider });
  return {
    tracer: provider.getTracer('bench'),
    flush: () => provider.forceFlush(),
    shutdown: () => {
      unregister();
      return provider.shutdown();
    },
  };
}
