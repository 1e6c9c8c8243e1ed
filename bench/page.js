// The in-page half of the benchmark: a classic script the page loads after zone.js and before the library under
// test. run.mjs drives it through page.evaluate(); every function returns plain numbers, in the unit its name says.
// The same code runs for tracelet and for OpenTelemetry: only the global, the options and the span kind differ.
(() => {
  const now = () => performance.now();
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };

  // Taken before any library patches fetch: the uninstrumented baseline is zone.js's fetch, the same in both pages.
  const baseFetch = window.fetch;

  // Long tasks (over 50 ms, the standard's threshold) from here on; filtered by time window when asked.
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask' });
  const longTasksSince = (mark) => {
    const since = performance.getEntriesByName(mark).at(-1).startTime;
    const mine = longTasks.filter((t) => t.startTime + t.duration > since);
    return { count: mine.length, totalMs: mine.reduce((sum, t) => sum + t.duration, 0) };
  };

  // Resolves once the main thread has nothing queued, so work a library deferred (timers, idle callbacks) has run.
  // The timeout only bounds a page that never goes idle.
  const idle = () => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));

  let lib; // what init() returned: { tracer, flush, shutdown }
  let kind; // the library's spelling of SpanKind.CLIENT: 'client' for tracelet, 2 for OpenTelemetry

  /** Five attributes, one event, end: the "CPU per span" unit of work. */
  const simpleSpan = (i) => {
    const span = lib.tracer.startSpan('cart.update', { kind });
    span.setAttribute('cart.id', 'c-8f2a');
    span.setAttribute('cart.items', i & 7);
    span.setAttribute('cart.total', 42.5);
    span.setAttribute('cart.currency', 'EUR');
    span.setAttribute('cart.logged_in', true);
    span.addEvent('cart.saved');
    span.end();
  };

  /** Three active spans, each the parent of the next through the Zone. */
  const nestedSpans = () => {
    lib.tracer.startActiveSpan('outer', (outer) => {
      lib.tracer.startActiveSpan('middle', (middle) => {
        lib.tracer.startActiveSpan('inner', (inner) => inner.end());
        middle.end();
      });
      outer.end();
    });
  };

  /** A typical fetch client span: ten attributes, ids and sizes varying the way real ones do. */
  const httpAttributes = (i) => {
    const id = (i * 7919) % 100000;
    return {
      'http.request.method': 'GET',
      'url.full': `https://api.shop.example/v1/products/${id}?lang=en`,
      'url.path': `/v1/products/${id}`,
      'url.scheme': 'https',
      'server.address': 'api.shop.example',
      'server.port': 443,
      'http.response.status_code': i % 50 ? 200 : 404,
      'http.response.body.size': 512 + (id % 4096),
      'network.protocol.version': '1.1',
      component: 'fetch',
    };
  };

  /**
   * Runs `op` perSample times per timed sample; the queue is flushed between samples (untimed) so it never fills
   * and drops spans, which would make a library look faster. The first `warmup` samples let the JIT settle.
   * @returns {{ median: number, samples: number[] }} µs per op
   */
  const timePerOp = async (op, name, { perSample, samples, warmup }) => {
    const out = [];
    for (let s = 0; s < warmup + samples; s++) {
      // The marks carry the thread's CPU clock into a trace, when run.mjs records one (see threadCpuPerOp there).
      if (s >= warmup) performance.mark(`${name}-start`);
      const start = now();
      for (let i = 0; i < perSample; i++) op(i);
      const us = ((now() - start) * 1000) / perSample;
      if (s >= warmup) {
        performance.mark(`${name}-end`);
        out.push(us);
      }
      await lib.flush();
    }
    return { median: median(out), samples: out };
  };

  const timeFetch = async (fetchFn, url) => {
    const start = now();
    const response = await fetchFn(url);
    await response.text();
    return now() - start;
  };

  window.bench = {
    /** Is the page cross-origin isolated, and the smallest nonzero step performance.now() takes, in ms. */
    timer() {
      let step = Infinity;
      let last = now();
      for (let i = 0; i < 200_000; i++) {
        const t = now();
        if (t > last && t - last < step) step = t - last;
        last = t;
      }
      return { crossOriginIsolated, stepMs: step };
    },

    /**
     * Evaluates the library's bundle as an inline script and calls init(): the start-up cost a page pays, in ms,
     * in total and for init() alone. Inline, so no network time is counted; the bundle compiles on the main thread
     * as any classic script does.
     */
    load(globalName, source, options, spanKind) {
      kind = spanKind;
      performance.mark('eval-start');
      const start = now();
      const script = document.createElement('script');
      script.textContent = source;
      document.head.append(script);
      if (!window[globalName]) throw new Error(`the bundle did not define the global ${globalName}`);
      const evaluated = now();
      lib = window[globalName].init(options);
      const end = now();
      return { totalMs: end - start, initMs: end - evaluated };
    },

    /** Long tasks from bundle evaluation until the page is idle again. */
    async startupLongTasks() {
      await idle();
      return longTasksSince('eval-start');
    },

    async cpu(plan) {
      return { spanUs: await timePerOp(simpleSpan, 'span', plan), nestedUs: await timePerOp(nestedSpans, 'nested', plan) };
    },

    /**
     * The same measure for a wrapper that does nothing but pass the call through and chain the promise, installed
     * before any library: what a paired median reads when there is no work to see, the noise floor of the rows.
     */
    async passThroughAdded(url, plan) {
      window.fetch = (input, init) => baseFetch(input, init).then((response) => response);
      try {
        return await this.fetchAdded(url, plan);
      } finally {
        window.fetch = baseFetch;
      }
    },

    /**
     * Added latency of the instrumented fetch over the baseline, for one URL: the median of paired differences,
     * each pair run back to back with the order alternating, so drift on a shared machine cancels out.
     */
    async fetchAdded(url, { pairs, warmup }) {
      // Unpatched, the "instrumented" fetch would be the baseline and show an overhead of zero that means nothing.
      if (window.fetch === baseFetch) throw new Error('fetch is not instrumented: window.fetch is unchanged after init()');
      const diffs = [];
      const base = [];
      for (let i = 0; i < warmup + pairs; i++) {
        let b, x;
        if (i % 2) {
          b = await timeFetch(baseFetch, `${url}?i=0`);
          x = await timeFetch(window.fetch, `${url}?i=1`);
        } else {
          x = await timeFetch(window.fetch, `${url}?i=1`);
          b = await timeFetch(baseFetch, `${url}?i=0`);
        }
        if (i >= warmup) {
          diffs.push(x - b);
          base.push(b);
        }
      }
      return { addedMs: median(diffs), baselineMs: median(base) };
    },

    /**
     * Ends n typical HTTP client spans into the export queue, then marks 'queued'. A library may start exporting
     * on its own once a batch fills (both do, with their default batch sizes), so the export is measured from this
     * mark, not from the flush() call.
     */
    queueHttpSpans(n) {
      for (let i = 0; i < n; i++) lib.tracer.startSpan('GET', { kind, attributes: httpAttributes(i) }).end();
      performance.mark('queued');
    },

    /** flush(), then marks 'delivered'. totalMs runs from the 'queued' mark until flush() resolves, network included. */
    async flush() {
      await lib.flush();
      performance.mark('delivered');
      const totalMs = now() - performance.getEntriesByName('queued').at(-1).startTime;
      await idle(); // long-task entries arrive after their task ends
      return { totalMs, longTasks: longTasksSince('queued') };
    },
  };
})();
