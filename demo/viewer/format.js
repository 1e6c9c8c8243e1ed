// How the viewer writes durations, times and services.

/** 0 ms, 0.42 ms, 8.5 ms, 123 ms, 1.52 s */
export function formatDuration(ms) {
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const formatClock = (epochMs) => clock.format(new Date(epochMs));

// Distinct hues that read on white, for the bars and the map's nodes.
const PALETTE = ['#e07b2f', '#3f6fe0', '#1e9e74', '#2499b5', '#9a55cf', '#cf4470', '#a8901b', '#5f6f86'];

/** A service's colour: the same in every view and on every load, since it is derived from the name (FNV-1a). */
export function serviceColor(service) {
  let hash = 2166136261;
  for (const char of service) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  // Fold the high bits in: FNV's low bits alone repeat for names that differ only in their middle.
  return PALETTE[((hash ^ (hash >>> 15)) >>> 0) % PALETTE.length];
}

/** What runs a service, as the map labels it, from its resource's telemetry.sdk.language. */
export const runtimeLabel = (runtime) => ({ webjs: 'browser', nodejs: 'Node.js' })[runtime] ?? runtime;
