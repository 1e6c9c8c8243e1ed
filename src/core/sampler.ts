import type { SpanContext } from '../types';

/**
 * Whether a new span is sampled. A span with a parent follows the parent's sampled flag, so a trace is kept or
 * dropped whole (parent-based sampling). A new trace is kept with probability `rate`, decided by the trace id
 * alone: the rightmost 56 bits of a W3C trace id are random, and comparing them with a threshold, as
 * OpenTelemetry's consistent probability sampling does, gives the same answer for the same trace id in every
 * service that uses the same rate. `rate` 1 keeps everything, 0 nothing.
 */
export const isSampled = (traceId: string, parent: SpanContext | null | undefined, rate: number): boolean => {
  if (parent) return !!(parent.traceFlags & 1);
  if (rate >= 1) return true;
  if (!(rate > 0)) return false;
  // 13 of the 14 random hex digits: 52 bits, as many as a float64 holds exactly.
  return parseInt(traceId.slice(18, 31), 16) / 2 ** 52 >= 1 - rate;
};
