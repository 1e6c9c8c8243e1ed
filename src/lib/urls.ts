import type { UrlPattern } from '../options';

/**
 * The absolute URL of `input` (a string, URL or Request), or undefined when it is invalid. Relative URLs are read
 * against the document's base URL, as fetch and XHR read them (a `<base href>` may point to another origin).
 */
export const absoluteUrl = (input: unknown): URL | undefined => {
  try {
    // A Request has a `url`; a string or URL has none, and is read as text.
    return new URL((input as Request | undefined)?.url ?? String(input), document.baseURI);
  } catch {
    // Not a URL: undefined.
  }
};

/** Whether `text` matches a pattern: a RegExp tested against it, or a string for which `byString` holds. */
const matches = (text: string, patterns: readonly UrlPattern[], byString: (pattern: string) => boolean) =>
  patterns.some((pattern) => (typeof pattern === 'string' ? byString(pattern) : pattern.test(text)));

/**
 * Whether `url` matches a pattern: a string prefix of the URL, or a RegExp tested against it. A prefix that ends
 * inside the host matches that host only: `https://api.example.com` matches neither
 * `https://api.example.com.evil.net/` nor `https://api.example.com@evil.net/`.
 */
export const matchesAny = (url: string, patterns: readonly UrlPattern[]): boolean =>
  matches(url, patterns, (prefix) => url.startsWith(prefix) && (/^\w+:\/\/[^/]*\//.test(prefix) || /^([/?#]|$)/.test(url.slice(prefix.length))));

const REDACTED = 'REDACTED';

/**
 * `url` as it may be recorded: user name and password replaced by `REDACTED` always, as are the values of query
 * parameters whose names match `params` (OpenTelemetry semantic conventions for `url.full`).
 */
export const redactUrl = (url: URL | string, params: readonly UrlPattern[]): string => {
  const copy = new URL(url);
  if (copy.username) copy.username = REDACTED;
  if (copy.password) copy.password = REDACTED;
  // Setting a parameter re-encodes the query, so only matching ones are touched.
  for (const name of [...copy.searchParams.keys()]) {
    if (matches(name, params, (part) => name.toLowerCase().includes(part.toLowerCase()))) copy.searchParams.set(name, REDACTED);
  }
  return copy.href;
};
