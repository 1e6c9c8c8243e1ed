// The OpenTelemetry setup of the demo services, loaded before each service with
// `node --import ./telemetry.mjs service.mjs`: instrumentation has to be in place before the service imports
// node:http (sdk-node README, "Initialize the SDK"). It is sdk-trace-node rather than sdk-node's NodeSDK, which
// also loads the metrics, logs and gRPC packages and takes four times as long to start.
// Configured by the standard variables that services.mjs sets: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
import { register } from 'node:module';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultResource, detectResources, envDetector, hostDetector, processDetector } from '@opentelemetry/resources';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

// The ESM loader hook, without which the instrumentation does not see `import http from 'node:http'`
// (opentelemetry-js doc/esm-support.md).
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const provider = new NodeTracerProvider({
  resource: defaultResource().merge(detectResources({ detectors: [envDetector, hostDetector, processDetector] })),
  // Small batches every 200 ms, so the viewer shows a request's spans at once.
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 200 })],
});
// Also installs the defaults the demo relies on: the W3C Trace Context propagator, so shop-api continues the
// browser's `traceparent`, and AsyncLocalStorage to carry the context through async code.
provider.register();

registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation({
      // A CORS preflight never carries traceparent (browsers add no headers to it), so each would be a one-span
      // trace of its own, cluttering the viewer.
      ignoreIncomingRequestHook: (request) => request.method === 'OPTIONS',
    }),
  ],
});

// Flush the last spans before exiting: on Ctrl-C, on SIGTERM from the demo, or when the demo process is gone.
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  provider
    .shutdown()
    .catch((error) => console.error(`${process.env.OTEL_SERVICE_NAME}: flushing spans failed: ${error.message}`))
    .finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
