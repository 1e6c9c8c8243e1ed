// The viewer: routes (#/, #/trace/<id>, #/map), data from the collector's JSON API, live updates from its
// Server-Sent Events.
import { h } from './dom.js';
import { formatClock, formatDuration, serviceColor } from './format.js';
import { renderServiceMap } from './service-map.js';
import { renderSpanDetails } from './span-details.js';
import { renderTraceList } from './trace-list.js';
import { renderWaterfall } from './waterfall.js';

const $ = (id) => document.getElementById(id);
const state = { traces: [], trace: undefined, spanId: undefined };

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok && response.status !== 404) throw new Error(`${path}: HTTP ${response.status}`);
  return response.ok ? response.json() : undefined;
}

/** #/trace/<id> -> { tab: 'traces', traceId }, #/map -> { tab: 'map' } */
function currentRoute() {
  const [, first, id] = location.hash.split('/');
  return { tab: first === 'map' ? 'map' : 'traces', traceId: first === 'trace' ? id : undefined };
}

function renderStats(stats) {
  const rejected = Object.entries(stats.requests.rejectedByReason).map(([reason, count]) => `${reason}: ${count}`).join(', ');
  const parts = [
    h('span', { title: `at most ${stats.maxTraces} traces are kept` }, `${stats.traces} traces`),
    h('span', null, `${stats.spans} spans`),
    h('span', { title: 'oldest traces dropped to stay within the memory bound' }, `${stats.evictedTraces} evicted`),
    h('span', { class: stats.requests.rejected ? 'has-rejections' : '', title: rejected || 'no export was refused' }, `${stats.requests.rejected} rejected`),
  ];
  if (stats.forwarding) {
    const { url, forwarded, failed, lastError } = stats.forwarding;
    parts.push(h('span', { title: lastError || url }, `forwarded ${forwarded}, failed ${failed}`));
  }
  $('stats').replaceChildren(...parts);
}

function renderTraceDetail() {
  const trace = state.trace;
  if (!trace) {
    const text = currentRoute().traceId ? 'This trace is not in the collector (it may have been evicted).' : 'Pick a trace from the list.';
    $('trace-detail').replaceChildren(h('p', { class: 'empty' }, text));
    return;
  }
  const span = trace.spans.find((item) => item.spanId === state.spanId);
  const selectSpan = (picked) => {
    state.spanId = picked?.spanId === state.spanId ? undefined : picked?.spanId;
    renderTraceDetail();
    // The rows were drawn anew: give the focus back to the one chosen, for keyboard users.
    if (picked) document.querySelector(`.wf-span[data-span-id="${picked.spanId}"]`)?.focus({ preventScroll: true });
  };
  $('trace-detail').replaceChildren(
    h('header', { class: 'trace-head' },
      h('h1', null, trace.error && h('span', { class: 'error-mark' }, '!'), trace.rootName, trace.label && h('span', { class: 'trace-label' }, trace.label)),
      h('p', { class: 'muted' },
        `${formatDuration(trace.durationMs)} · ${trace.spanCount} spans · ${formatClock(trace.startMs)} · `,
        h('span', { class: 'mono' }, trace.traceId)),
      h('p', { class: 'services' }, trace.services.map((service) =>
        h('span', { class: 'service-chip', style: { '--color': serviceColor(service) } }, service)))),
    renderWaterfall(trace, state.spanId, selectSpan),
    span ? renderSpanDetails(span, trace, () => selectSpan(undefined)) : h('p', { class: 'muted hint' }, 'Click a span to see its attributes, events and resource.'));
}

async function loadTraces() {
  state.traces = await getJson('/api/traces');
  const route = currentRoute();
  // On a bare #/, open the newest trace, so the page is never blank when there is something to show.
  if (route.tab === 'traces' && !route.traceId && state.traces.length) {
    history.replaceState(null, '', `#/trace/${state.traces[0].traceId}`);
    await loadTrace();
  }
  $('trace-list').replaceChildren(renderTraceList(state.traces, currentRoute().traceId));
}

async function loadTrace() {
  const { traceId } = currentRoute();
  if (traceId !== state.trace?.traceId) state.spanId = undefined;
  state.trace = traceId ? await getJson(`/api/traces/${traceId}`) : undefined;
  renderTraceDetail();
}

async function loadMap() {
  $('map-view').replaceChildren(renderServiceMap(await getJson('/api/service-map')));
}

async function showRoute() {
  const { tab } = currentRoute();
  $('traces-view').hidden = tab !== 'traces';
  $('map-view').hidden = tab !== 'map';
  for (const link of document.querySelectorAll('[data-tab]')) link.setAttribute('aria-current', String(link.dataset.tab === tab));
  if (tab === 'map') await loadMap();
  else await Promise.all([loadTrace(), loadTraces()]);
}

/** Refreshes what is on screen after new spans arrive; several messages close together cause one refresh. */
let pending;
function refreshSoon(traceIds) {
  pending ??= { traceIds: new Set() };
  traceIds.forEach((id) => pending.traceIds.add(id));
  if (pending.timer) return;
  pending.timer = setTimeout(async () => {
    const { traceIds: changed } = pending;
    pending = undefined;
    const route = currentRoute();
    const updates = [getJson('/api/stats').then(renderStats)];
    if (route.tab === 'map') updates.push(loadMap());
    else updates.push(loadTraces(), changed.has(route.traceId) ? loadTrace() : undefined);
    await Promise.all(updates);
  }, 250);
}

function listen() {
  const events = new EventSource('/api/events');
  events.onopen = () => {
    $('live').dataset.state = 'live';
    $('live').textContent = 'live';
  };
  // EventSource reconnects by itself (after the `retry` the collector sets).
  events.onerror = () => {
    $('live').dataset.state = 'offline';
    $('live').textContent = 'reconnecting';
  };
  events.addEventListener('traces', (event) => refreshSoon(JSON.parse(event.data).traceIds));
}

window.addEventListener('hashchange', showRoute);
listen();
showRoute();
getJson('/api/stats').then(renderStats);
