// Turns per-round numbers into medians, spreads, ratios and verdicts, and writes them as Markdown. The targets are
// issue 5's, written here once; a verdict only reads the medians, it never changes what was measured.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import os from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ratioAtMost = (limit, text) => ({ text, pass: (t, o) => (o > 0 ? t / o <= limit : null) });

/** The measures in table order: key in a flow's result, label, unit, and issue 5's target if any. */
export const METRICS = [
  { key: 'spanUs', label: 'CPU per span: start, 5 attributes, 1 event, end', unit: 'µs', target: ratioAtMost(1 / 3, '≤ 1/3 of OTel') },
  { key: 'nestedUs', label: 'CPU per 3 nested active spans', unit: 'µs', target: ratioAtMost(1 / 3, '≤ 1/3 of OTel') },
  // Thread CPU time of the same samples (run.mjs, threadCpuPerOp): the wall-time rows above also count the moments
  // the OS ran another process, which on a shared machine is most of their spread.
  { key: 'spanCpuUs', label: 'CPU per span, thread CPU', unit: 'µs', target: ratioAtMost(1 / 3, '≤ 1/3 of OTel') },
  { key: 'nestedCpuUs', label: 'CPU per 3 nested active spans, thread CPU', unit: 'µs', target: ratioAtMost(1 / 3, '≤ 1/3 of OTel') },
  // The quietest sample of each page: what the work costs when nothing else on the machine gets in the way. No
  // target: it shows how much of the median is the machine's noise, which adds to both libraries alike.
  { key: 'spanFloorUs', label: 'CPU per span, quietest sample', unit: 'µs' },
  { key: 'nestedFloorUs', label: 'CPU per 3 nested active spans, quietest sample', unit: 'µs' },
  { key: 'sameOriginAddedMs', label: 'Added time per fetch, same-origin', unit: 'ms', target: ratioAtMost(1 / 2, '≤ 1/2 of OTel') },
  { key: 'crossOriginAddedMs', label: 'Added time per fetch, cross-origin + traceparent', unit: 'ms', target: ratioAtMost(1 / 2, '≤ 1/2 of OTel') },
  { key: 'exportBusyMs', label: 'Export 1,000 spans: main-thread busy, wall', unit: 'ms' },
  { key: 'exportBusyCpuMs', label: 'Export 1,000 spans: main-thread busy, thread CPU', unit: 'ms' },
  { key: 'exportLongestMs', label: 'Export 1,000 spans: longest main-thread task, wall', unit: 'ms', target: { text: '≤ 16 ms', pass: (t) => t <= 16 } },
  // Both rows are judged: wall time is what a page feels, but on a shared machine it also counts the moments the OS
  // ran another process (the receiver decoding the previous request, say); thread CPU time is tracelet's own part.
  { key: 'exportLongestCpuMs', label: 'Export 1,000 spans: longest main-thread task, thread CPU', unit: 'ms', target: { text: '≤ 16 ms', pass: (t) => t <= 16 } },
  { key: 'exportLongTasks', label: 'Export 1,000 spans: long tasks (> 50 ms)', unit: '' },
  { key: 'bytesPerSpan', label: 'Export: bytes on the wire per span', unit: 'B', target: ratioAtMost(1 / 5, '≥ 5× fewer than OTel') },
  { key: 'exportRequests', label: 'Export: requests for 1,000 spans', unit: '' },
  { key: 'startupMs', label: 'Start-up: evaluate bundle + init()', unit: 'ms' },
  { key: 'initMs', label: 'Start-up: of which init()', unit: 'ms' },
  { key: 'startupLongTasks', label: 'Start-up: long tasks (> 50 ms)', unit: '' },
  { key: 'heapAfterInitKB', label: 'JS heap after init', unit: 'KB' },
  { key: 'heapPerSpanB', label: 'JS heap per buffered span', unit: 'B' },
];

const TRACELET_IIFE = 'tracelet.iife.min.js';
const OTEL_IIFE = 'otel.iife.min.js';
const GZIP_BUDGET = 12_000; // "12 KB": read as 12,000 bytes, the stricter of KB and KiB

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Bytes of each bundle that exists: as built, gzip -9, and brotli at quality 11 (what CDNs serve static files with). */
export function bundleSizes(files) {
  return files.filter(existsSync).map((file) => {
    const bytes = readFileSync(file);
    return {
      file: basename(file),
      bytes: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

/** The machine, OS, runtime and package versions the numbers were taken on. */
export function machine(root) {
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'not installed';
    }
  };
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8').match(/PRETTY_NAME="(.*)"/)?.[1] : undefined;
  const packages = [
    '@opentelemetry/api', '@opentelemetry/sdk-trace-web', '@opentelemetry/sdk-trace-base',
    '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/context-zone', '@opentelemetry/instrumentation',
    '@opentelemetry/instrumentation-fetch', '@opentelemetry/core', '@opentelemetry/resources',
    '@opentelemetry/semantic-conventions', 'zone.js', 'fflate', 'web-vitals', 'playwright-core', 'rollup',
    '@rollup/plugin-terser', '@rollup/plugin-node-resolve',
  ];
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    os: `${osRelease ?? os.type()} (${os.platform()} ${os.release()}, ${os.arch()})`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => +l.toFixed(2)),
    packages: {
      tracelet: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
      ...Object.fromEntries(packages.map((name) => [name, version(name)])),
    },
  };
}

/** Per measure and library: median and min–max over rounds, the ratio tracelet/OTel, and the target's verdict. */
export function summarize(rounds, bundles) {
  const stats = (lib, key) => {
    const values = rounds.filter((r) => r.lib === lib && r.values && Number.isFinite(r.values[key])).map((r) => r.values[key]);
    return values.length ? { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length } : null;
  };
  const verdict = (pass) => (pass === null || pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS');
  const rows = METRICS.map(({ key, label, unit, target }) => {
    const tracelet = stats('tracelet', key);
    const otel = stats('otel', key);
    const ratio = tracelet && otel && otel.median > 0 ? tracelet.median / otel.median : null;
    const pass = target && tracelet && otel ? target.pass(tracelet.median, otel.median) : undefined;
    return { key, label, unit, tracelet, otel, ratio, target: target?.text ?? null, verdict: target ? verdict(pass) : null };
  });

  const iife = bundles.find((b) => b.file === TRACELET_IIFE);
  const otelIife = bundles.find((b) => b.file === OTEL_IIFE);
  const gzipRow = {
    key: 'bundleGzip',
    label: `Bundle, gzip: ${TRACELET_IIFE} vs OTel IIFE`,
    unit: 'B',
    tracelet: iife ? { median: iife.gzip } : null,
    otel: otelIife ? { median: otelIife.gzip } : null,
    ratio: iife && otelIife ? iife.gzip / otelIife.gzip : null,
    target: `≤ ${GZIP_BUDGET.toLocaleString('en')} B and < 1/2 of OTel`,
    verdict: iife && otelIife ? verdict(iife.gzip <= GZIP_BUDGET && iife.gzip < otelIife.gzip / 2) : 'n/a',
  };
  return [gzipRow, ...rows];
}

const number = (x) => {
  if (x === null || x === undefined) return '–';
  if (Number.isInteger(x) || Math.abs(x) >= 100) return Math.round(x).toLocaleString('en');
  return x.toPrecision(3);
};
const cell = (s, unit) => {
  if (!s) return 'not measured';
  const spread = s.n > 1 ? ` (${number(s.min)}–${number(s.max)})` : '';
  return `${number(s.median)}${unit ? ` ${unit}` : ''}${spread}`;
};

/** RESULTS.md: the summary table, bundle sizes, the run's own checks, and the machine. */
export function markdown(results) {
  const { machine: m, plan, timer, bundles, summary, rounds } = results;
  const lines = [
    '# tracelet vs OpenTelemetry web SDK',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${m.date}. How each measure works and how to read it: [README.md](README.md).`,
    '',
    `Medians over ${plan.rounds} rounds, each round one fresh page per library, the order alternating; in brackets the`,
    'spread (min–max) of the per-round values. Ratio is tracelet / OpenTelemetry: below 1, tracelet is lighter or faster.',
    '',
    '| Measure | tracelet | OpenTelemetry | ratio | target | verdict |',
    '|---|---|---|---|---|---|',
    ...summary.map(
      (r) => `| ${r.label} | ${cell(r.tracelet, r.unit)} | ${cell(r.otel, r.unit)} | ${r.ratio === null ? '–' : r.ratio.toFixed(2)} | ${r.target ?? '–'} | ${r.verdict ?? '–'} |`,
    ),
    '',
    '## Bundles',
    '',
    'Bytes as built, gzip -9, brotli quality 11. zone.js is in none of them except `tracelet.zone.iife.min.js`.',
    '',
    '| File | bytes | gzip | brotli |',
    '|---|---|---|---|',
    ...bundles.map((b) => `| ${b.file === OTEL_IIFE ? `${b.file} (OpenTelemetry, bench/tmp)` : b.file} | ${b.bytes.toLocaleString('en')} | ${b.gzip.toLocaleString('en')} | ${b.brotli.toLocaleString('en')} |`),
    '',
    '## Checks',
    '',
    `- Timer: every page cross-origin isolated: ${timer.allCrossOriginIsolated ? 'yes' : '**NO**'}; smallest nonzero step of \`performance.now()\` ${timer.smallestStepUs.toFixed(1)} µs (worst page: ${timer.largestStepUs.toFixed(1)} µs).`,
  ];
  for (const lib of ['tracelet', 'otel']) {
    const mine = rounds.filter((r) => r.lib === lib && r.values);
    const fetches = mine.filter((r) => r.flow === 'fetch').map((r) => r.values);
    const exports = mine.filter((r) => r.flow === 'lifecycle').map((r) => r.values);
    if (fetches.length) {
      const sent = fetches.map((v) => `${Math.round(v.traceparentSent * 100)}%`).join(', ');
      const leaked = fetches.reduce((n, v) => n + v.traceparentOnBaseline, 0);
      lines.push(`- ${lib}: instrumented cross-origin fetches carrying traceparent, per round: ${sent}; baseline fetches carrying it: ${leaked}.`);
      lines.push(
        `- ${lib}: baseline fetch latency (median of rounds): same-origin ${number(median(fetches.map((v) => v.sameOriginBaselineMs)))} ms, cross-origin ${number(median(fetches.map((v) => v.crossOriginBaselineMs)))} ms.`,
      );
      const floor = fetches.map((v) => v.passThroughAddedMs).filter((v) => v !== undefined);
      if (floor.length) {
        lines.push(
          `- ${lib} pages, before loading it: a pass-through fetch wrapper, same-origin, reads as added time ${number(median(floor))} ms (median of rounds; per round ${floor.map(number).join(', ')} ms). That is the added-time rows' noise floor.`,
        );
      }
    }
    if (exports.length) {
      lines.push(`- ${lib}: spans the receiver decoded per ${plan.exportSpans}-span export, per round: ${exports.map((v) => v.spansReceived ?? 'not OTLP/JSON').join(', ')}.`);
    }
  }
  const failures = new Map(); // "lib, flow" -> failed rounds
  for (const r of rounds.filter((r) => r.error)) failures.set(`${r.lib}** in ${r.flow}`, [...(failures.get(`${r.lib}** in ${r.flow}`) ?? []), r]);
  for (const [what, failed] of failures) {
    const reasons = [...new Set(failed.map((r) => r.error))].join('; ');
    lines.push(`- **Failed: ${what}, rounds ${failed.map((r) => r.round + 1).join(', ')}: ${reasons}`);
  }
  lines.push(
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; load average ${m.loadAverageAtStart.join(' / ')} at start, ${m.loadAverageAtEnd?.join(' / ') ?? '?'} at end (1/5/15 min)`,
    `- OS: ${m.os}`,
    `- Node ${m.node}, Chromium ${m.chromium} (headless, via playwright-core ${m.packages['playwright-core']})`,
    `- Packages: ${Object.entries(m.packages).map(([name, v]) => `${name} ${v}`).join(', ')}`,
    `- Iterations: ${plan.rounds} rounds; CPU: ${plan.cpu.samples} samples of ${plan.cpu.perSample} after ${plan.cpu.warmup} warm-up samples, per page; fetch: ${plan.fetch.pairs} instrumented/baseline pairs per URL after ${plan.fetch.warmup} warm-up pairs, per page; heap: ${plan.heapSpans} buffered spans, the last ${plan.heapCountedSpans} counted, after ${plan.heapWarmSpans} sent; export: ${plan.exportSpans} spans.`,
    `- Run time: ${results.durationS.toFixed(0)} s`,
    '',
  );
  return lines.join('\n');
}
