import type { Tracer } from './types';
import { DEFAULTS, type ResolvedOptions, type TraceletOptions } from './options';
import { DEFAULT_LIMITS } from './core/attributes';
import { createSession } from './core/session';
import { createTracer } from './core/tracer';
import { warn } from './core/warn';
import { type ExporterConfig, createExporter } from './export/exporter';
import type { Instrumentation } from './lib/instrumentation';
import { adoptingSpan } from './lib/idle-span';
import { absoluteUrl } from './lib/urls';
import { stopTracking, timingsSettled } from './lib/resource-timing';

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

/**
 * Starts tracing the page with the instrumentations given, by name: what {@link init} does with all of them.
 * Import this and only the instrumentations you want, and your bundler leaves the others out.
 *
 * @example
 * import { initWith, instrumentFetch } from 'tracelet';
 * initWith({ serviceName: 'shop-web', endpoint: '/v1/traces' }, { fetch: instrumentFetch });
 */
export const initWith = (options: TraceletOptions, instrumentations: Partial<Record<string, Instrumentation<any>>>): Tracelet => {
  if (current) {
    warn('already running; call shutdown() first');
    return current;
  }
  // Options set to undefined keep their defaults, as a script tag without an attribute does.
  const o = { ...DEFAULTS } as ResolvedOptions;
  for (const key in options) if ((options as any)[key] !== undefined) (o as any)[key] = (options as any)[key];
  if (!o.serviceName || typeof o.serviceName !== 'string') o.serviceName = warn('set serviceName; using unknown_service') || 'unknown_service';
  // Each default says what a value must be. A NaN (a typo in a data- attribute) or a batch of 0 spans would stall
  // the export, and a list given as anything else (a string, a Set) would leave every request untraced.
  for (const key in DEFAULTS) {
    const fallback = (DEFAULTS as any)[key];
    const value = (o as any)[key];
    const most = key === 'sampleRate' ? 1 : Infinity;
    const least = most > 1 && key !== 'batchDelay' ? 1 : 0;
    // The lists hold URL patterns or method names; objects are spread into requests and spans, where anything
    // else would make headers or attributes named 0, 1, ...; the one text option is `compression`. `true` when
    // the value will do, else what it must be.
    const valid = Array.isArray(fallback)
      ? (Array.isArray(value) && value.every((item) => typeof item === 'string' || item instanceof RegExp)) || 'an array of strings or RegExps'
      : typeof fallback === 'number'
        ? (value >= least && value <= most) || `${least} to ${most}`
        : typeof fallback === 'object'
          ? (value && typeof value === 'object') || 'an object'
          : value === fallback || value === 'none' || 'gzip or none';
    if (valid !== true) (o as any)[key] = warn(`${key} must be ${valid}; using ${JSON.stringify(fallback)}`) || fallback;
  }
  for (const name in o.instrumentations) if (!(name in instrumentations)) warn(`instrumentations.${name} does not exist; ignored`);
  // Read once against the page's URL: requests to the collector are never traced.
  o.endpoint &&= absoluteUrl(o.endpoint)?.href;
  const exporter = o.endpoint ? createExporter(o as ExporterConfig) : warn('set endpoint to your OTLP/HTTP traces URL to send spans');
  const sessionId = createSession(o.sessionTimeout);
  let startAttributes: Record<string, string> = {};
  const tracer = createTracer({
    _sampleRate: o.sampleRate,
    _limits: { ...DEFAULT_LIMITS, ...o.limits },
    _onEnd: (span) => exporter?._enqueue(span),
    _startAttributes: () => {
      // One object while the session lasts, not one per span.
      const id = sessionId();
      return startAttributes['session.id'] === id ? startAttributes : (startAttributes = { 'session.id': id });
    },
    _fallbackParent: adoptingSpan,
  });

  const stops: Array<() => void> = [];
  for (const name in instrumentations) {
    const settings = (o.instrumentations as Record<string, unknown> | undefined)?.[name] ?? true;
    const instrument = instrumentations[name];
    try {
      if (settings && instrument) stops.push(instrument({ tracer, options: o }, settings === true ? {} : settings));
    } catch (error) {
      warn(`${name} failed to start: ${error}`);
    }
  }

  const instance: Tracelet = {
    tracer,
    // Request spans end when their timing entry arrives, a moment after the response: flush waits for them.
    flush: () => timingsSettled().then(() => exporter?._flush()),
    shutdown: () => {
      if (current === instance) current = undefined;
      for (const stop of stops.splice(0)) stop();
      // Requests still waiting for their timing entry end now, without it, and are flushed with the rest.
      stopTracking();
      return Promise.resolve(exporter?._shutdown());
    },
  };
  return (current = instance);
};

/** The running tracelet, if `init()` has been called (by code or by the script tag). */
export const getTracelet = (): Tracelet | undefined => current;
