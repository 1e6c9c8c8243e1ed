import type { ResolvedOptions } from '../options';
import { absoluteUrl, redactUrl } from './urls';

/**
 * `href` as a `url.full` attribute value: absolute, with credentials and the values of sensitive query
 * parameters (the `redactQueryParams` option) redacted; undefined when it is empty or not a URL.
 */
export const urlFull = (href: string | undefined, options: ResolvedOptions): string | undefined => {
  const url = href ? absoluteUrl(href) : undefined;
  return url && redactUrl(url, options.redactQueryParams);
};
