// The panel for one span: its facts, attributes, events, links and the resource of the service that sent it.
import { h } from './dom.js';
import { formatDuration, serviceColor } from './format.js';

const show = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

function table(attributes, emptyText = '') {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return h('p', { class: 'muted' }, emptyText);
  return h('table', { class: 'kv' }, h('tbody', null, entries.map(([key, value]) =>
    h('tr', null, h('th', { scope: 'row' }, key), h('td', null, show(value))))));
}

export function renderSpanDetails(span, trace, onClose) {
  const offset = (ms) => `+${formatDuration(ms - trace.startMs)}`;
  const isError = span.status.code === 'ERROR';
  return h('section', { class: 'span-details', 'aria-label': `Span ${span.name}` },
    h('header', null,
      h('div', null,
        h('h3', null, span.name),
        h('p', { class: 'muted' },
          h('span', { class: 'service-chip', style: { '--color': serviceColor(span.service) } }, span.service),
          ' ',
          h('span', { class: `kind kind-${span.kind.toLowerCase()}` }, span.kind.toLowerCase()),
          ' ',
          h('span', { class: `status status-${span.status.code.toLowerCase()}` },
            isError ? `error${span.status.message ? `: ${span.status.message}` : ''}` : span.status.code.toLowerCase()))),
      h('button', { class: 'close', onclick: onClose, 'aria-label': 'Close span details' }, '×')),
    h('dl', { class: 'facts' },
      h('dt', null, 'Duration'), h('dd', null, formatDuration(span.durationMs)),
      h('dt', null, 'Starts'), h('dd', null, `${offset(span.startMs)} into the trace`),
      h('dt', null, 'Span ID'), h('dd', { class: 'mono' }, span.spanId),
      h('dt', null, 'Parent ID'), h('dd', { class: 'mono' }, span.parentSpanId ?? '(root)'),
      h('dt', null, 'Trace ID'), h('dd', { class: 'mono' }, span.traceId),
      h('dt', null, 'Scope'), h('dd', null, [span.scope.name, span.scope.version].filter(Boolean).join(' ') || '—')),
    h('h4', null, 'Attributes'),
    table(span.attributes, 'No attributes.'),
    h('h4', null, `Events (${span.events.length})`),
    span.events.length
      ? h('ol', { class: 'events' }, span.events.map((event) => h('li', null,
        h('div', { class: 'event-head' }, h('strong', null, event.name), h('span', { class: 'muted' }, offset(event.timeMs))),
        Object.keys(event.attributes).length > 0 && table(event.attributes))))
      : h('p', { class: 'muted' }, 'No events.'),
    span.links.length > 0 && [
      h('h4', null, `Links (${span.links.length})`),
      h('ul', { class: 'links mono' }, span.links.map((link) => h('li', null, h('a', { href: `#/trace/${link.traceId}` }, `${link.traceId} / ${link.spanId}`)))),
    ],
    h('h4', null, 'Resource'),
    table(span.resource, 'No resource attributes.'));
}
