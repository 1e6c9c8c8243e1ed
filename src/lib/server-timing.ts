import type { SpanContext } from '../types';
import { parseTraceParent } from '../core/propagation';

/**
 * The server span context announced in a `Server-Timing: traceparent;desc="00-..."` entry, as Splunk's and
 * other servers' instrumentations send it, read from a resource timing entry's `serverTiming` list. The server
 * must send `Timing-Allow-Origin` for a cross-origin response to expose it.
 */
export const serverTimingContext = (entry: { serverTiming?: readonly PerformanceServerTiming[] } | undefined): SpanContext | undefined =>
  parseTraceParent(entry?.serverTiming?.find((timing) => timing.name === 'traceparent')?.description);
