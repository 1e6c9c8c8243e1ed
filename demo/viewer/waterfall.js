// The waterfall of one trace: a row per span in tree order (children under their parent, by start time), a bar per
// span on the trace's time axis, coloured by service.
import { h } from './dom.js';
import { formatDuration, serviceColor } from './format.js';

/**
 * Spans in display order with their depth. A span whose parent has not arrived (yet) is shown as a root and
 * flagged; spans caught in a parent cycle (a broken exporter) are shown as roots rather than lost.
 */
function treeRows(spans) {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const children = new Map();
  const roots = [];
  for (const span of [...spans].sort((a, b) => a.startMs - b.startMs)) {
    const parent = span.parentSpanId !== span.spanId && byId.get(span.parentSpanId);
    if (parent) children.set(parent.spanId, [...(children.get(parent.spanId) ?? []), span]);
    else roots.push(span);
  }
  const rows = [];
  const seen = new Set();
  const visit = (span, depth) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    rows.push({ span, depth, orphan: Boolean(span.parentSpanId) && !byId.has(span.parentSpanId) });
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  roots.forEach((span) => visit(span, 0));
  spans.filter((span) => !seen.has(span.spanId)).forEach((span) => visit(span, 0));
  return rows;
}

/** A round step (1, 2 or 5 times a power of ten) that cuts `totalMs` into about four intervals. */
function tickStep(totalMs) {
  const rough = totalMs / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= rough);
}

/** Where a bar's duration label goes: after the bar, before it, or (a bar spanning the lane) inside it. */
function durationPlace(start, end) {
  if (end <= 0.82) return 'after';
  if (start >= 0.18) return 'before';
  return 'inside';
}

function durationStyle(place, start, end) {
  if (place === 'after') return { left: `calc(${end * 100}% + 6px)` };
  if (place === 'before') return { right: `calc(${(1 - start) * 100}% + 6px)` };
  return { right: `calc(${(1 - end) * 100}% + 6px)` };
}

/** `onSelect(span)` is called when a row is clicked or chosen with the keyboard. */
export function renderWaterfall(trace, selectedSpanId, onSelect) {
  const totalMs = Math.max(trace.durationMs, 0.001);
  const step = tickStep(totalMs);
  const percent = (ms) => `${Math.min(100, (ms / totalMs) * 100)}%`;
  const ticks = [];
  for (let at = 0; at <= totalMs + step / 1000; at += step) ticks.push(at);

  const axis = h('div', { class: 'wf-row wf-axis', 'aria-hidden': 'true' },
    h('div', { class: 'wf-label' }, 'Span'),
    h('div', { class: 'wf-lane' }, ticks.map((at) => h('span', { class: 'wf-tick', style: { left: percent(at) } }, formatDuration(at)))));

  const rows = treeRows(trace.spans).map(({ span, depth, orphan }) => {
    const offset = span.startMs - trace.startMs;
    const isError = span.status.code === 'ERROR';
    const color = serviceColor(span.service);
    const start = offset / totalMs;
    const end = (offset + span.durationMs) / totalMs;
    const place = durationPlace(start, end);
    const select = () => onSelect(span);
    return h('div', {
      class: `wf-row wf-span${isError ? ' is-error' : ''}${span.spanId === selectedSpanId ? ' is-selected' : ''}`,
      role: 'button',
      tabindex: 0,
      'aria-pressed': String(span.spanId === selectedSpanId),
      'data-span-id': span.spanId,
      'data-parent-span-id': span.parentSpanId ?? '',
      'data-depth': depth,
      'data-service': span.service,
      'data-kind': span.kind,
      'data-name': span.name,
      onclick: select,
      onkeydown: (event) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), select()),
    },
    h('div', { class: 'wf-label', style: { paddingLeft: `${0.75 + depth * 1.1}rem` }, title: `${span.name} (${span.service})` },
      h('span', { class: 'wf-dot', style: { background: color } }),
      h('span', { class: 'wf-name' }, span.name),
      h('span', { class: `kind kind-${span.kind.toLowerCase()}` }, span.kind.toLowerCase()),
      isError && h('span', { class: 'error-mark', title: span.status.message || 'status ERROR' }, '!'),
      orphan && h('span', { class: 'orphan', title: `parent ${span.parentSpanId} has not arrived` }, '↰'),
      h('span', { class: 'wf-service' }, span.service)),
    h('div', { class: 'wf-lane' },
      h('div', { class: 'wf-bar', style: { left: percent(offset), width: `max(2px, ${percent(span.durationMs)})`, background: color } },
        span.events.map((event) => h('span', {
          class: `wf-event${event.name === 'exception' ? ' is-exception' : ''}`,
          title: event.name,
          style: { left: `${span.durationMs ? ((event.timeMs - span.startMs) / span.durationMs) * 100 : 0}%` },
        }))),
      h('span', { class: `wf-duration is-${place}`, style: durationStyle(place, start, end) }, formatDuration(span.durationMs))));
  });

  return h('div', { class: 'waterfall', style: { '--tick': `${(step / totalMs) * 100}%` } }, axis, rows);
}
