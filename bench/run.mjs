// `npm run bench`: tracelet against the OpenTelemetry web SDK in one headless Chromium, interleaved.
// Builds the OpenTelemetry bundle, measures bundle bytes, starts the local servers, then for every flow and round
// opens a fresh browser context per library (the order alternates each round) and writes bench/RESULTS.md and
// bench/results.json. What each measure does: bench/README.md.
//
//   node bench/run.mjs                 after `npm run build`
//   BENCH_ROUNDS=3 node bench/run.mjs  a quicker, noisier run
//   BENCH_FLOWS=cpu node bench/run.mjs only the flows named (cpu, fetch, lifecycle; comma-separated)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findBrowser } from '../scripts/find-browser.mjs';
import otelConfig from './rollup.config.mjs';
import { startServers } from './servers.mjs';
import { bundleSizes, machine, markdown, median, summarize } from './report.mjs';

/** A path in the repository, from its root. */
const at = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
// Work per page. Samples are sized for a 5 µs timer: even the fastest sample spans hundreds of timer steps.
const PLAN = {
  cpu: { perSample: 500, samples: 15, warmup: 3 }, // 500 spans (or 3-deep nests) per sample
  fetch: { pairs: 100, warmup: 10 }, // instrumented + baseline fetch per pair, per URL
  heapSpans: 60, // spans buffered for the heap measure: fewer than either library's batch size (64, 512), so none leave
  heapCountedSpans: 40, // of those, the last ones queued, whose heap is counted
  heapWarmSpans: 5, // queued and sent before the heap measure, so that what the first spans and export make once is not counted
  exportSpans: 1000,
};
// Bounds a page that stops answering (a flush() that never resolves, say); far above a normal page's few seconds.
const PAGE_TIMEOUT_MS = 60_000;
// Only fetch is instrumented on both sides, so both do the same work; every export setting is the library default.
const TRACELET_INSTRUMENTATIONS = {
  xhr: false,
  interactions: false,
  pageLoad: false,
  webVitals: false,
  errors: false,
  navigation: false,
  longTasks: false,
};

/** The two libraries, as the page sees them: a bundle defining a global whose init() returns { tracer, flush }. */
const LIBS = {
  tracelet: {
    file: at('dist/tracelet.iife.min.js'),
    global: 'Tracelet',
    kind: 'client',
    options: ({ endpoint, propagateTo = [], fetch = false }) => ({
      serviceName: 'bench',
      endpoint,
      propagateTo,
      instrumentations: { ...TRACELET_INSTRUMENTATIONS, fetch },
    }),
  },
  otel: {
    file: at('bench/tmp/otel.iife.min.js'),
    global: 'OTelBench',
    kind: 2, // SpanKind.CLIENT
    options: ({ endpoint, propagateTo = [], fetch = false }) => ({ serviceName: 'bench', endpoint, propagateTo, fetch }),
  },
};

async function buildOtel() {
  const bundle = await rollup(otelConfig);
  await bundle.write(otelConfig.output);
  await bundle.close();
}

/**
 * Main-thread tasks of the page between two user-timing marks, from a Chrome trace: their total and the longest,
 * both in wall time and in thread CPU time. On a shared machine wall time also counts the moments the OS ran
 * someone else's process; thread CPU time does not, so it is the steadier estimate of the library's own cost.
 */
function mainThreadBetween(traceBuffer, startMark, endMark) {
  const events = JSON.parse(traceBuffer).traceEvents;
  const mark = (name) => events.find((e) => e.name === name && e.cat.includes('blink.user_timing'));
  const start = mark(startMark);
  const end = mark(endMark);
  if (!start || !end) throw new Error(`trace is missing the ${startMark}/${endMark} marks`);
  // Top-level tasks of the renderer's main thread (the thread that recorded the marks) that overlap the window.
  const tasks = events
    .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.pid === start.pid && e.tid === start.tid)
    .filter((e) => e.ts < end.ts && e.ts + e.dur > start.ts)
    .sort((a, b) => a.ts - b.ts);
  const out = { busyMs: 0, longestMs: 0, busyCpuMs: 0, longestCpuMs: 0, tasks: 0 };
  let lastEnd = -Infinity;
  for (const e of tasks) {
    if (e.ts < lastEnd) continue; // a nested run loop, already inside the enclosing task
    lastEnd = e.ts + e.dur;
    // Clipped to the window; CPU time pro rata, since the trace only gives it for the whole task.
    const wall = Math.min(lastEnd, end.ts) - Math.max(e.ts, start.ts);
    const cpu = e.dur > 0 ? ((e.tdur ?? e.dur) * wall) / e.dur : 0;
    out.tasks++;
    out.busyMs += wall / 1000;
    out.busyCpuMs += cpu / 1000;
    out.longestMs = Math.max(out.longestMs, wall / 1000);
    out.longestCpuMs = Math.max(out.longestCpuMs, cpu / 1000);
  }
  return out;
}

/**
 * Thread CPU time per operation of each timed sample named `name`, in µs: from the thread clock (`tts`) of the
 * page's `<name>-start` and `<name>-end` marks. Unlike the samples' wall time, it leaves out the moments the OS ran
 * another process, so a busy machine does not make a library look slower; it still counts the library's own
 * garbage collection, which runs on the same thread.
 */
function threadCpuPerOp(traceBuffer, name, perSample) {
  const marks = JSON.parse(traceBuffer).traceEvents.filter((e) => e.cat?.includes('blink.user_timing') && e.tts !== undefined);
  const starts = marks.filter((e) => e.name === `${name}-start`).sort((a, b) => a.ts - b.ts);
  const ends = marks.filter((e) => e.name === `${name}-end`).sort((a, b) => a.ts - b.ts);
  if (!starts.length || starts.length !== ends.length) throw new Error(`trace has ${starts.length} ${name}-start and ${ends.length} ${name}-end marks with a thread clock`);
  return starts.map((start, i) => (ends[i].tts - start.tts) / perSample);
}

async function main() {
  const started = Date.now();
  const host = machine(at(''));
  const executablePath = findBrowser();
  if (!executablePath) {
    console.error('No Chromium found: run `npx playwright install chromium`, or install Chromium and set CHROMIUM_PATH to it.');
    process.exit(1);
  }
  const libs = Object.keys(LIBS).filter((name) => name !== 'tracelet' || existsSync(LIBS.tracelet.file));
  if (!libs.includes('tracelet')) {
    console.warn('tracelet is not built yet (no dist/tracelet.iife.min.js): run `npm run build`. Measuring OpenTelemetry only.');
  }

  console.log('building the OpenTelemetry bundle...');
  await buildOtel();
  for (const name of libs) LIBS[name].source = readFileSync(LIBS[name].file, 'utf8');
  const bundles = bundleSizes([
    ...['tracelet.iife.min.js', 'tracelet.zone.iife.min.js', 'tracelet.js', 'tracelet.cjs'].map((f) => at(`dist/${f}`)),
    LIBS.otel.file,
  ]);

  const servers = await startServers({ zone: at('node_modules/zone.js/fesm2015/zone.min.js'), page: at('bench/page.js') });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const timers = [];
  let pageCount = 0;

  /** Runs fn(page, id) in a fresh browser context on the benchmark page; id names the page to the receiver. */
  async function withPage(fn) {
    const context = await browser.newContext();
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the page did not finish within ${PAGE_TIMEOUT_MS / 1000} s`)), PAGE_TIMEOUT_MS);
    });
    const run = async () => {
      const page = await context.newPage();
      await page.goto(`${servers.pageOrigin}/`);
      timers.push(await page.evaluate(() => bench.timer()));
      return fn(page, `p${++pageCount}`);
    };
    try {
      return await Promise.race([run(), timeout]);
    } finally {
      clearTimeout(timer);
      await context.close();
    }
  }

  const load = (page, lib, options) =>
    page.evaluate(([g, source, o, kind]) => bench.load(g, source, o, kind), [lib.global, lib.source, lib.options(options), lib.kind]);

  /** Each flow measures one library in one fresh page and returns named numbers (see report.mjs METRICS). */
  const FLOWS = {
    async cpu(lib, page, id) {
      await load(page, lib, { endpoint: servers.endpoint(id) });
      // Only user timing is traced: the marks around each sample, with the thread's CPU clock.
      await browser.startTracing(page, { categories: ['blink.user_timing'] });
      let result;
      let trace;
      try {
        result = await page.evaluate((plan) => bench.cpu(plan), PLAN.cpu);
      } finally {
        trace = await browser.stopTracing();
      }
      const { spanUs, nestedUs } = result;
      const spanCpuUs = threadCpuPerOp(trace, 'span', PLAN.cpu.perSample);
      const nestedCpuUs = threadCpuPerOp(trace, 'nested', PLAN.cpu.perSample);
      return {
        spanUs: spanUs.median,
        nestedUs: nestedUs.median,
        spanFloorUs: Math.min(...spanUs.samples),
        nestedFloorUs: Math.min(...nestedUs.samples),
        spanCpuUs: median(spanCpuUs),
        nestedCpuUs: median(nestedCpuUs),
      };
    },

    async fetch(lib, page, id) {
      const passThrough = await page.evaluate((plan) => bench.passThroughAdded('/ping', plan), PLAN.fetch);
      await load(page, lib, { endpoint: servers.endpoint(id), propagateTo: [servers.apiOrigin], fetch: true });
      servers.takePings();
      const same = await page.evaluate((plan) => bench.fetchAdded('/ping', plan), PLAN.fetch);
      const cross = await page.evaluate(([url, plan]) => bench.fetchAdded(url, plan), [`${servers.apiOrigin}/ping`, PLAN.fetch]);
      const pings = servers.takePings();
      // Without traceparent the cross-origin numbers would not measure propagation at all.
      if (pings.instrumentedWithTraceparent < pings.instrumented) {
        throw new Error(`traceparent missing on ${pings.instrumented - pings.instrumentedWithTraceparent} of ${pings.instrumented} cross-origin requests`);
      }
      return {
        sameOriginAddedMs: same.addedMs,
        crossOriginAddedMs: cross.addedMs,
        sameOriginBaselineMs: same.baselineMs,
        crossOriginBaselineMs: cross.baselineMs,
        passThroughAddedMs: passThrough.addedMs,
        traceparentSent: pings.instrumentedWithTraceparent / pings.instrumented,
        traceparentOnBaseline: pings.baselineWithTraceparent,
      };
    },

    /** Start-up, heap, then export, in one page: each step builds on the state the one before left. */
    async lifecycle(lib, page, id) {
      const cdp = await page.context().newCDPSession(page);
      const heap = async () => {
        // Twice: objects freed by the first collection's finalizers go in the second.
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('HeapProfiler.collectGarbage');
        return (await cdp.send('Runtime.getHeapUsage')).usedSize;
      };
      const heapBefore = await heap();
      const startupMs = await load(page, lib, { endpoint: servers.endpoint(id), propagateTo: [servers.apiOrigin], fetch: true });
      const startup = await page.evaluate(() => bench.startupLongTasks());
      const heapAfterInit = await heap();
      // A few spans first, queued and sent unmeasured: the code, feedback and buffers a library makes at its first
      // spans and export stay on the heap once, and would otherwise be shared out over the measured spans (60 spans
      // then read about 2.2 KB each for tracelet, 600 about 0.64 KB). Few, because OpenTelemetry's exporter sends
      // both batches with fetch keepalive, and the browser keeps to 64 KiB of those in flight per page.
      await page.evaluate((n) => bench.queueHttpSpans(n), PLAN.heapWarmSpans);
      await page.evaluate(() => bench.flush());
      // Then the 60 in two steps, and only the last 40 counted: what the first spans of a batch still make once
      // (a pool of ids refilled, a function compiled again after enough calls) falls before the count starts.
      await page.evaluate((n) => bench.queueHttpSpans(n), PLAN.heapSpans - PLAN.heapCountedSpans);
      const heapWarm = await heap();
      await page.evaluate((n) => bench.queueHttpSpans(n), PLAN.heapCountedSpans);
      const heapBuffered = await heap();
      await page.evaluate(() => bench.flush());
      const before = servers.received(id);

      // The whole browser is traced; only this page's main thread between the two marks is counted.
      await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] });
      let flush;
      let trace;
      try {
        await page.evaluate((n) => bench.queueHttpSpans(n), PLAN.exportSpans);
        flush = await page.evaluate(() => bench.flush());
      } finally {
        trace = await browser.stopTracing();
      }
      const main = mainThreadBetween(trace, 'queued', 'delivered');
      const after = servers.received(id);
      const spans = after.spans - before.spans;
      return {
        startupMs: startupMs.totalMs,
        initMs: startupMs.initMs,
        startupLongTasks: startup.count,
        startupLongTaskMs: startup.totalMs,
        heapAfterInitKB: (heapAfterInit - heapBefore) / 1024,
        heapPerSpanB: (heapBuffered - heapWarm) / PLAN.heapCountedSpans,
        exportBusyMs: main.busyMs,
        exportBusyCpuMs: main.busyCpuMs,
        exportLongestMs: main.longestMs,
        exportLongestCpuMs: main.longestCpuMs,
        exportTasks: main.tasks,
        exportLongTasks: flush.longTasks.count,
        exportTotalMs: flush.totalMs,
        bytesPerSpan: (after.bytes - before.bytes) / PLAN.exportSpans,
        exportRequests: after.requests - before.requests,
        // Delivery check: the receiver decoded every span (null when the body was not OTLP/JSON).
        spansReceived: after.undecoded > before.undecoded ? null : spans,
      };
    },
  };

  const rounds = [];
  const flows = process.env.BENCH_FLOWS?.split(',') ?? Object.keys(FLOWS);
  for (const flow of flows) {
    if (!FLOWS[flow]) throw new Error(`BENCH_FLOWS: no flow named ${flow}; the flows are ${Object.keys(FLOWS).join(', ')}`);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which library goes first, so neither always runs on the warmer (or busier) machine.
      const order = round % 2 ? [...libs].reverse() : libs;
      for (const name of order) {
        process.stdout.write(`${flow} round ${round + 1}/${ROUNDS} ${name}... `);
        const entry = { flow, round, lib: name };
        try {
          entry.values = await withPage((page, id) => FLOWS[flow](LIBS[name], page, id));
          console.log('ok');
        } catch (error) {
          entry.error = String(error.message ?? error).split('\n')[0];
          console.log(`failed: ${entry.error}`);
        }
        rounds.push(entry);
      }
    }
  }

  const results = {
    machine: { ...host, chromium: browser.version(), loadAverageAtEnd: loadavg().map((l) => +l.toFixed(2)) },
    plan: { rounds: ROUNDS, ...PLAN },
    timer: {
      allCrossOriginIsolated: timers.every((t) => t.crossOriginIsolated),
      smallestStepUs: Math.min(...timers.map((t) => t.stepMs)) * 1000,
      largestStepUs: Math.max(...timers.map((t) => t.stepMs)) * 1000,
    },
    bundles,
    summary: summarize(rounds, bundles),
    rounds,
    durationS: (Date.now() - started) / 1000,
  };
  await browser.close();
  servers.close();
  writeFileSync(at('bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(at('bench/RESULTS.md'), markdown(results));
  console.log(`\n${markdown(results)}\nwrote bench/RESULTS.md and bench/results.json in ${results.durationS.toFixed(0)} s`);
}

await main();
