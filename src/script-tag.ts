/**
 * Entry of the IIFE bundles (global `Tracelet`). When the script tag that loaded it has `data-endpoint`, the page
 * is traced with no code: `data-*` attributes map to {@link TraceletOptions} (`data-service-name` to
 * `serviceName`, and so on; lists are separated by spaces or commas).
 */
import { init } from './init';
import type { TraceletOptions } from './options';

export * from './index';

const list = (value: string | undefined) => value?.split(/[\s,]+/).filter(Boolean);
const number = (value: string | undefined) => (value ? Number(value) : undefined);

/** Options from a script tag's `data-*` attributes. */
export const optionsFromScript = (dataset: DOMStringMap): TraceletOptions => ({
  serviceName: dataset.serviceName!,
  serviceVersion: dataset.serviceVersion,
  environment: dataset.environment,
  endpoint: dataset.endpoint,
  propagateTo: list(dataset.propagateTo),
  ignoreUrls: list(dataset.ignoreUrls),
  sampleRate: number(dataset.sampleRate),
  compression: dataset.compression as TraceletOptions['compression'],
  batchDelay: number(dataset.batchDelay),
  maxBatchSize: number(dataset.maxBatchSize),
  maxQueueSize: number(dataset.maxQueueSize),
});

const script = typeof document === 'object' ? (document.currentScript as HTMLScriptElement | null) : null;
if (script?.dataset.endpoint) init(optionsFromScript(script.dataset));
