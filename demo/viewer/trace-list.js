// The list of recent traces, newest first. Each entry links to its trace (`#/trace/<id>`).
import { h } from './dom.js';
import { formatClock, formatDuration, serviceColor } from './format.js';

export function renderTraceList(traces, selectedId) {
  if (!traces.length) {
    return h('p', { class: 'empty' }, 'No traces yet. Open the demo shop and click around: traces appear here as they arrive.');
  }
  return h('ol', { class: 'trace-list' }, traces.map((trace) => h('li', null,
    h('a', {
      href: `#/trace/${trace.traceId}`,
      class: `trace-item${trace.traceId === selectedId ? ' is-selected' : ''}${trace.error ? ' is-error' : ''}`,
      'aria-current': trace.traceId === selectedId ? 'true' : undefined,
      'data-trace-id': trace.traceId,
    },
    h('div', { class: 'trace-line' },
      h('span', { class: 'trace-name' },
        trace.error && h('span', { class: 'error-mark', title: 'has a span with status ERROR' }, '!'),
        trace.rootName),
      h('span', { class: 'trace-duration' }, formatDuration(trace.durationMs))),
    trace.label && h('div', { class: 'trace-label' }, trace.label),
    h('div', { class: 'trace-line' },
      h('span', { class: 'services' }, trace.services.map((service) =>
        h('span', { class: 'service-chip', style: { '--color': serviceColor(service) } }, service))),
      h('span', { class: 'muted' }, `${trace.spanCount} span${trace.spanCount === 1 ? '' : 's'} · ${formatClock(trace.startMs)}`))))));
}
