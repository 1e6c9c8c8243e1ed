/**
 * Entry of the IIFE bundles (global `Tracelet`). When the script tag that loaded it has `data-endpoint`, the page
 * is traced with no code: `data-*` attributes map to {@link TraceletOptions} (`data-service-name` to
 * `serviceName`, and so on; lists are separated by spaces or commas).
 */
import { init } from './index';
import { DEFAULTS, type TraceletOptions } from './options';

// What a page without a bundler calls. `initWith` and the single instrumentations are for bundlers, which can
// leave out what an app does not use; this bundle carries them all, so naming them here would only add bytes.
export { init, getTracelet } from './index';

/**
 * Options from a script tag's `data-*` attributes: a list where the option's default is one (split at spaces or
 * commas), a number where it is a number, else the text as it is.
 */
const optionsFromScript = (dataset: DOMStringMap): TraceletOptions => {
  const options: Record<string, unknown> = {};
  for (const key in dataset) {
    const value = dataset[key]!;
    const fallback = (DEFAULTS as Record<string, unknown>)[key];
    options[key] = Array.isArray(fallback) ? value.split(/[\s,]+/).filter(Boolean) : typeof fallback === 'number' ? +value : value;
  }
  return options as unknown as TraceletOptions;
};

// No document (a worker, a server render): no script tag.
const script = globalThis.document?.currentScript as HTMLScriptElement | null | undefined;
if (script?.dataset.endpoint) init(optionsFromScript(script.dataset));
