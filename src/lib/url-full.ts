import type { ResolvedOptions } from '../options';
import { absoluteUrl, redactUrl } from './urls';

/**
 * `href` as a `url.full` attribute value: absolute, with credentials and the values of sensitive query
 * parameters (the `redactQueryParams` option) redacted; undefined when it is empty or not a URL. A URL already
 * parsed (every traced request has one) is not parsed again.
 */
export const urlFull = (href: URL | string | undefined, options: ResolvedOptions): string | undefined => {
  const url = href instanceof URL ? href : href ? absoluteUrl(href) : undefined;
  return url && redactUrl(url, options.redactQueryParams);
};
