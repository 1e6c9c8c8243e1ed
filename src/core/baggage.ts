/**
 * W3C Baggage (https://www.w3.org/TR/baggage/): `key=value;property` lists in the `baggage` header.
 * Malformed members are skipped, never thrown on.
 */

/** Baggage entries by key. Values are plain (decoded) strings. */
export type Baggage = Record<string, string>;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_MEMBERS = 180;
const MAX_BYTES = 8192;

const decode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/** Entries from a `baggage` header. Member properties (after `;`) are not kept. */
export const parseBaggage = (header: unknown): Baggage => {
  const baggage: Baggage = {};
  if (typeof header !== 'string' || header.length > MAX_BYTES) return baggage;
  let count = 0;
  for (const member of header.split(',')) {
    const pair = member.split(';')[0];
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    const value = decode(pair.slice(eq + 1).trim());
    if (eq < 1 || !TOKEN.test(key) || value === undefined) continue;
    baggage[key] = value;
    if (++count >= MAX_MEMBERS) break;
  }
  return baggage;
};

/** The `baggage` header value for `baggage`, or undefined when empty. Members past the limits are left out. */
export const formatBaggage = (baggage: Baggage): string | undefined => {
  let header = '';
  let count = 0;
  for (const key in baggage) {
    if (!TOKEN.test(key) || count >= MAX_MEMBERS) continue;
    const member = `${key}=${encodeURIComponent(String(baggage[key]))}`;
    if (header.length + member.length + 1 > MAX_BYTES) continue;
    header += (header ? ',' : '') + member;
    count++;
  }
  return header || undefined;
};
