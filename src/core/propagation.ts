import type { SpanContext } from '../types';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): parsing and writing `traceparent` and `tracestate`.
 * Malformed input never throws; it yields undefined, and the caller starts a fresh trace.
 */

// Version ff is forbidden, and all-zero ids are invalid.
const TRACEPARENT = /^(?!ff)([\da-f]{2})-(?!0{32})([\da-f]{32})-(?!0{16})([\da-f]{16})-([\da-f]{2})(-.*)?$/;

/** The span context a `traceparent` header (and optional `tracestate`) carries, or undefined when invalid. */
export const parseTraceParent = (traceparent: unknown, tracestate?: unknown): SpanContext | undefined => {
  const match = typeof traceparent === 'string' && TRACEPARENT.exec(traceparent.trim());
  // Version 00 has exactly four fields; a later version may add fields after a dash (match[5], never empty), and
  // we read the four we know, as the spec asks.
  if (!match || (match[1] === '00' && match[5])) return undefined;
  return { traceId: match[2], spanId: match[3], traceFlags: parseInt(match[4], 16) & 1, traceState: parseTraceState(tracestate), isRemote: true };
};

/** The `traceparent` header value for a span context. */
export const formatTraceParent = (context: SpanContext): string =>
  `00-${context.traceId}-${context.spanId}-0${context.traceFlags & 1}`;

/**
 * A clean copy of a span context the app handed in (a link's, an explicit parent), or undefined when its ids are
 * not valid W3C ids: checked as its `traceparent` would be.
 */
export const validContext = (context: SpanContext | null | undefined): SpanContext | undefined =>
  context ? parseTraceParent(formatTraceParent(context), context.traceState) : undefined;

// A list member: a key (simple, or multi-tenant `tenant@system`), `=`, and a value.
const MEMBER =
  /^([a-z][_\da-z\-*/]{0,255}|[a-z\d][_\da-z\-*/]{0,240}@[a-z][_\da-z\-*/]{0,13})=[ -+\--<>-~]{0,255}[!-+\--<>-~]$/;
const MAX_MEMBERS = 32;
const MAX_LENGTH = 512;

/**
 * A valid `tracestate` value built from `header` (a string, or the array a header list gives), or undefined.
 * Invalid members and repeated keys are dropped, and at most 32 members and 512 characters are kept, members
 * beyond those being dropped from the end.
 */
export const parseTraceState = (header: unknown): string | undefined => {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (typeof text !== 'string') return undefined;
  // Members by key, in the order of the header: a Map keeps its insertion order.
  const byKey = new Map<string, string>();
  for (const raw of text.split(',')) {
    const member = raw.trim();
    const key = MEMBER.exec(member)?.[1];
    if (key && !byKey.has(key)) byKey.set(key, member);
  }
  const members = [...byKey.values()].slice(0, MAX_MEMBERS);
  while (members.join(',').length > MAX_LENGTH) members.pop();
  return members.join(',') || undefined;
};
