import type { SpanContext } from '../types';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): parsing and writing `traceparent` and `tracestate`.
 * Malformed input never throws; it yields undefined, and the caller starts a fresh trace.
 */

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** The span context a `traceparent` header (and optional `tracestate`) carries, or undefined when invalid. */
export const parseTraceParent = (traceparent: unknown, tracestate?: unknown): SpanContext | undefined => {
  if (typeof traceparent !== 'string') return undefined;
  const match = TRACEPARENT.exec(traceparent.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  // Version ff is forbidden. Version 00 has exactly four fields; a later version may add fields after a dash,
  // and we read the four we know, as the spec asks.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  const traceState = parseTraceState(tracestate);
  return { traceId, spanId, traceFlags: parseInt(flags, 16) & 1, traceState, isRemote: true };
};

/** The `traceparent` header value for a span context. */
export const formatTraceParent = (context: SpanContext): string =>
  `00-${context.traceId}-${context.spanId}-0${context.traceFlags & 1}`;

const KEY = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_MEMBERS = 32;
const MAX_LENGTH = 512;
const LONG_MEMBER = 128;

/**
 * A valid `tracestate` value built from `header` (a string, or the array a header list gives), or undefined.
 * Invalid members and repeated keys are dropped, at most 32 members are kept, and past 512 characters members
 * longer than 128 characters are dropped from the end, as the spec recommends.
 */
export const parseTraceState = (header: unknown): string | undefined => {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (typeof text !== 'string') return undefined;
  const seen = new Set<string>();
  let members: string[] = [];
  for (const raw of text.split(',')) {
    const member = raw.trim();
    const eq = member.indexOf('=');
    const key = member.slice(0, eq);
    if (eq < 1 || !KEY.test(key) || !VALUE.test(member.slice(eq + 1)) || seen.has(key)) continue;
    seen.add(key);
    members.push(member);
  }
  members = members.slice(0, MAX_MEMBERS);
  for (let i = members.length - 1; members.join(',').length > MAX_LENGTH && i >= 0; i--) {
    if (members[i].length > LONG_MEMBER) members.splice(i, 1);
  }
  while (members.join(',').length > MAX_LENGTH) members.pop();
  return members.length ? members.join(',') : undefined;
};
