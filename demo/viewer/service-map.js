// The service map: services as boxes in columns by call depth (callers left of callees), calls as arrows labelled
// with request count, errors and latency; and the same numbers as a table.
import { h, svg } from './dom.js';
import { formatDuration, runtimeLabel, serviceColor } from './format.js';

const NODE_WIDTH = 180;
const NODE_HEIGHT = 64;
const COLUMN_STEP = 360;
const ROW_STEP = 110;
const MARGIN = 30;

/** Column of each service: the longest chain of calls leading to it. Capped at one pass per service, for cycles. */
function columns(nodes, edges) {
  const column = new Map(nodes.map((node) => [node.service, 0]));
  for (let pass = 0; pass < nodes.length; pass++) {
    let moved = false;
    for (const edge of edges) {
      if (edge.from !== edge.to && column.get(edge.to) <= column.get(edge.from)) {
        column.set(edge.to, column.get(edge.from) + 1);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return column;
}

function layout(nodes, edges) {
  const column = columns(nodes, edges);
  const byColumn = new Map();
  for (const node of [...nodes].sort((a, b) => a.service.localeCompare(b.service))) {
    const at = column.get(node.service);
    byColumn.set(at, [...(byColumn.get(at) ?? []), node]);
  }
  const tallest = Math.max(...[...byColumn.values()].map((list) => list.length));
  const positions = new Map();
  for (const [at, list] of byColumn) {
    // Centre each column against the tallest one.
    const top = MARGIN + ((tallest - list.length) * ROW_STEP) / 2;
    list.forEach((node, index) => positions.set(node.service, { x: MARGIN + at * COLUMN_STEP, y: top + index * ROW_STEP }));
  }
  const width = MARGIN * 2 + Math.max(...column.values()) * COLUMN_STEP + NODE_WIDTH;
  const height = MARGIN * 2 + (tallest - 1) * ROW_STEP + NODE_HEIGHT;
  return { positions, width, height };
}

function nodeBox(node, { x, y }) {
  const color = serviceColor(node.service);
  const runtime = runtimeLabel(node.runtime);
  return svg('g', { class: 'map-node', 'data-service': node.service, transform: `translate(${x} ${y})` },
    svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 10, class: 'map-node-box' }),
    svg('rect', { width: 6, height: NODE_HEIGHT, rx: 3, fill: color }),
    svg('text', { x: 18, y: 26, class: 'map-node-name' }, node.service),
    svg('text', { x: 18, y: 46, class: 'map-node-meta' },
      `${runtime ? `${runtime} · ` : ''}${node.spans} spans`,
      node.errors > 0 && svg('tspan', { class: 'map-error' }, ` · ${node.errors} err`)));
}

function edgeArrow(edge, from, to) {
  const x1 = from.x + NODE_WIDTH;
  const y1 = from.y + NODE_HEIGHT / 2;
  const x2 = to.x - 4;
  const y2 = to.y + NODE_HEIGHT / 2;
  const bend = Math.max(40, (x2 - x1) / 2);
  const midX = (x1 + x2) / 2;
  const midY = (y1 + y2) / 2;
  return svg('g', { class: `map-edge${edge.errors ? ' has-errors' : ''}`, 'data-from': edge.from, 'data-to': edge.to },
    svg('path', {
      d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`,
      class: 'map-edge-line',
      'stroke-width': Math.min(6, 1.5 + Math.log2(edge.requests)),
      'marker-end': 'url(#arrow)',
    }),
    svg('text', { x: midX, y: midY - 10, class: 'map-edge-label' },
      `${edge.requests} req`,
      svg('tspan', { class: edge.errors ? 'map-error' : '' }, ` · ${edge.errors} err`)),
    svg('text', { x: midX, y: midY + 20, class: 'map-edge-label map-edge-latency' },
      `p50 ${formatDuration(edge.p50Ms)} · avg ${formatDuration(edge.avgMs)}`));
}

export function renderServiceMap(map) {
  if (!map.nodes.length) return h('p', { class: 'empty' }, 'No services yet: the map is drawn from the traces received.');
  const { positions, width, height } = layout(map.nodes, map.edges);
  const picture = svg('svg', { class: 'map', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Service map', style: { maxWidth: `${width}px` } },
    svg('defs', null, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 12, markerHeight: 12, markerUnits: 'userSpaceOnUse', orient: 'auto' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'map-arrow' }))),
    map.edges.map((edge) => edgeArrow(edge, positions.get(edge.from), positions.get(edge.to))),
    map.nodes.map((node) => nodeBox(node, positions.get(node.service))));

  const rows = [...map.edges].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const calls = h('table', { class: 'calls' },
    h('thead', null, h('tr', null, ['Caller', 'Callee', 'Requests', 'Errors', 'p50', 'Average'].map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', null, rows.map((edge) => h('tr', null,
      h('td', null, h('span', { class: 'service-chip', style: { '--color': serviceColor(edge.from) } }, edge.from)),
      h('td', null, h('span', { class: 'service-chip', style: { '--color': serviceColor(edge.to) } }, edge.to)),
      h('td', { class: 'num' }, edge.requests),
      h('td', { class: `num${edge.errors ? ' map-error' : ''}` }, edge.errors),
      h('td', { class: 'num' }, formatDuration(edge.p50Ms)),
      h('td', { class: 'num' }, formatDuration(edge.avgMs))))));

  return h('div', { class: 'map-view' },
    h('header', { class: 'map-head' },
      h('h1', null, 'Service map'),
      h('p', { class: 'muted' }, 'Services and the calls between them, from the traces the collector holds. A call is a parent span in one service with a child span in another; its latency is the callee’s span duration.')),
    h('div', { class: 'map-frame' }, picture),
    h('h2', { class: 'map-subhead' }, 'Calls'),
    rows.length ? calls : h('p', { class: 'muted' }, 'No calls between services yet.'));
}
