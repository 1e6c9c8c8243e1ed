import type { Tracer } from './types';
import { DEFAULTS, type ResolvedOptions, type TraceletOptions } from './options';
import { DEFAULT_LIMITS } from './core/attributes';
import { createResource } from './core/resource';
import { createSession } from './core/session';
import { createTracer } from './core/tracer';
import { createExporter } from './export/exporter';

/** A running tracelet: its tracer, and the controls of its export. */
export interface Tracelet {
  /** Creates spans; instrumentations use the same tracer. */
  tracer: Tracer;
  /** Resolves when every span ended so far has been delivered, or given up on after retries. */
  flush(): Promise<void>;
  /** Flushes, then removes every listener and patch tracelet installed. Later spans are not exported. */
  shutdown(): Promise<void>;
}

let current: Tracelet | undefined;

const warn = (message: string) => console.warn(`tracelet: ${message}`);

/**
 * Starts tracing the page. Call it once, as early as you can; later calls return the running instance and
 * warn. It never throws: bad options are reported on the console and replaced by their defaults.
 *
 * @example
 * const tracelet = init({ serviceName: 'shop-web', endpoint: 'https://otel.example.com/v1/traces' });
 * tracelet.tracer.startActiveSpan('checkout', (span) => { ...; span.end(); });
 */
export const init = (options: TraceletOptions): Tracelet => {
  if (current) {
    warn('init() was already called; returning the running instance. Call shutdown() first to start anew.');
    return current;
  }
  // Options set to undefined keep their defaults, as a script tag without an attribute does.
  const set: Record<string, unknown> = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options ?? {})) if (value !== undefined) set[key] = value;
  const o = set as unknown as ResolvedOptions;
  if (typeof o.serviceName !== 'string' || !o.serviceName) {
    warn('init() needs a serviceName, such as init({ serviceName: "shop-web", ... }); using "unknown_service".');
    o.serviceName = 'unknown_service';
  }
  if (!(o.sampleRate >= 0 && o.sampleRate <= 1)) {
    warn(`sampleRate must be a number from 0 to 1, not ${String(o.sampleRate)}; using 1.`);
    o.sampleRate = 1;
  }
  if (!o.endpoint) warn('no endpoint is set, so spans are not sent anywhere. Set endpoint to your OTLP/HTTP traces URL.');

  const exporter = o.endpoint
    ? createExporter({
        endpoint: o.endpoint,
        headers: o.headers ?? {},
        compression: o.compression,
        maxQueueSize: o.maxQueueSize,
        maxBatchSize: o.maxBatchSize,
        batchDelay: o.batchDelay,
        resource: createResource(o),
      })
    : undefined;
  const sessionId = createSession(o.sessionTimeout, o.sessionMaxLifetime);
  const tracer = createTracer({
    sampleRate: o.sampleRate,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
    onEnd: (span) => exporter?.enqueue(span),
    startAttributes: () => ({ 'session.id': sessionId() }),
  });

  const instance: Tracelet = {
    tracer,
    flush: () => exporter?.flush() ?? Promise.resolve(),
    shutdown: () => {
      if (current === instance) current = undefined;
      return exporter?.shutdown() ?? Promise.resolve();
    },
  };
  return (current = instance);
};

/** The running tracelet, if `init()` has been called (by code or by the script tag). */
export const getTracelet = (): Tracelet | undefined => current;
