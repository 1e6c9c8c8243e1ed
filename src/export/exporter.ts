import { later, listen, outsideSpans } from '../core/context';
import { createResource } from '../core/resource';
import type { RecordedSpan } from '../core/span';
import type { ResolvedOptions } from '../options';
import { gzip, utf8 } from './compress';
import { encodeRequest, encodeResource, encodeSpan } from './otlp-json';
import { type Packet, packNext } from './pack';
import { persist, takePersisted } from './persist';
import { isRetryable, post } from './transport';

/**
 * tracelet's share of the browsers' 64 KiB budget for the bodies of all keepalive requests (and beacons) a page
 * has in flight at once, and so the most bytes one request carries. The rest is left to the page's own beacons,
 * which would fail if tracelet took it all: behind a slow collector, or when both send at unload.
 */
export const KEEPALIVE_SHARE = 48 * 1024;

const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 60_000;

/** Export settings: `init()`'s options (which document each one and its default), with an endpoint. */
export type ExporterConfig = ResolvedOptions & { endpoint: string };

/** Counts of spans lost, by why; reported on the `tracelet` scope of the next request. */
type DropCount = `tracelet.dropped.${'queue_full' | 'rejected' | 'retries_exhausted' | 'storage_full'}`;

interface Batch extends Packet {
  /** Whether its last request went with keepalive; read only while it is in flight, without a `_sendTimer`. */
  _keepalive?: boolean;
  /** Set while waiting to be sent: for a retry, or for the task after the one that compressed it. */
  _sendTimer?: ReturnType<typeof setTimeout>;
}

/** The export pipeline: a bounded queue of ended spans, batched into OTLP/HTTP requests. */
export interface Exporter {
  /** Queues an ended span; past `maxQueueSize` it is dropped and counted. */
  _enqueue(span: RecordedSpan): void;
  /** Resolves when every span queued so far has been delivered, or given up on after its retries. */
  _flush(): Promise<void>;
  /** Flushes, then stops listening to the page. */
  _shutdown(): Promise<void>;
}

/** Starts the exporter: listens for the page being hidden or unloaded, and sends what earlier pages left. */
export const createExporter = (config: ExporterConfig): Exporter => {
  // Captured before any instrumentation wraps fetch, so the exporter's own requests are never traced.
  const fetchFn = fetch.bind(globalThis);
  const { maxBatchSize } = config;
  const gzipped = config.compression !== 'none';
  const headers: Record<string, string> = { ...config.headers, 'Content-Type': 'application/json', ...(gzipped && { 'Content-Encoding': 'gzip' }) };
  const resourceJson = encodeResource(createResource(config));

  const queue: RecordedSpan[] = [];
  // Batches sent or waiting to be, until they are settled, or abandoned for a copy when the page is left.
  const unsettled = new Set<Batch>();
  // Drop counts not reported yet, by attribute name.
  let dropped: Record<string, number> | undefined;
  // What is left of our keepalive share while requests are in flight. Firefox before 133 has no keepalive fetch,
  // and so no share: any request is cancelled at unload, so everything left is stored.
  let keepaliveLeft = 'keepalive' in Request.prototype ? KEEPALIVE_SHARE : -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerDue = Infinity;
  let idleWaiters: Array<() => void> = [];
  let stopped: boolean | undefined;
  let leaving: boolean | undefined;
  let unloaded: boolean | undefined;
  // Kept by the visibilitychange listener below: reading `document.visibilityState` is a call into the DOM, which
  // would cost every span ending 70 ns (in Chromium here).
  let hidden = document.visibilityState === 'hidden';

  /** Adds `spans` to the drop count `key`. */
  const drop = (key: DropCount, spans: number) => {
    if (spans > 0) (dropped ??= {})[key] = (dropped[key] ?? 0) + spans;
  };

  /** Whether the page is shown, neither hidden nor unloading (then every request leaves at once). */
  const isShown = () => !(unloaded || hidden);

  const takeCounts = () => {
    const counts = dropped;
    dropped = undefined;
    return counts;
  };

  const encodeWire = gzipped ? (body: string) => gzip(utf8(body)) : utf8;

  const resolveIfIdle = () => {
    if (!queue.length && !unsettled.size) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  /** Whether `packet` can go with keepalive: it fits what is left of our share (none without keepalive). */
  const canKeepalive = (packet: Packet) => packet._payload.length <= keepaliveLeft;

  /** Sends a batch with keepalive when it fits what is left of our share, so a navigation does not cancel it. */
  const send = (batch: Batch) => {
    batch._sendTimer = undefined;
    unsettled.add(batch);
    // Without keepalive (Firefox before 133) a request is cancelled by the unload, and must be stored then.
    const keepalive = (batch._keepalive = canKeepalive(batch));
    if (keepalive) keepaliveLeft -= batch._payload.length;
    outsideSpans(() => post(fetchFn, config.endpoint, headers, batch._payload, keepalive)).then(({ _status: status, _retryAfter }) => {
      if (keepalive) keepaliveLeft += batch._payload.length;
      if (!unsettled.has(batch)) {
        // Abandoned when the page was left, for a copy on its way or stored: retrying it would send its spans twice.
      } else if (status >= 200 && status < 300) {
        unsettled.delete(batch);
      } else if (isRetryable(status) && ++batch._attempt < MAX_ATTEMPTS) {
        // Exponential backoff, with 20% jitter either way, unless the collector said how long to wait.
        sendLater(batch, Math.min(_retryAfter ?? FIRST_RETRY_MS * 2 ** (batch._attempt - 1) * (0.8 + Math.random() * 0.4), LONGEST_RETRY_MS));
      } else {
        unsettled.delete(batch);
        drop(`tracelet.dropped.${isRetryable(status) ? 'retries_exhausted' : 'rejected'}`, batch._spans);
        // The drop counts it carried did not arrive either: the next request reports them.
        for (const key in batch._counts) drop(key as DropCount, batch._counts[key] as number);
      }
      resolveIfIdle();
    });
  };

  /** Sends `batch` after `delay` ms. Until then it waits in `unsettled`, where leaving the page finds it. */
  const sendLater = (batch: Batch, delay: number) => {
    unsettled.add(batch);
    batch._sendTimer = later(() => send(batch), delay);
  };

  /**
   * Sends `count` queued spans, in requests of at most our keepalive share. When the page is being hidden or
   * unloaded (`leaving`), everything not yet delivered leaves now, as keepalive requests within the share: what
   * does not fit goes by plain fetch while the page lives on (hidden), or into localStorage for the next page
   * when it is unloading, since a plain request would be cancelled.
   */
  const sendQueued = (count: number, leaving?: boolean, unloading?: boolean) => {
    clearTimeout(timer);
    timerDue = Infinity;
    const toStore: Packet[] = [];
    // A batch is sent as a copy: the request it was in flight with may still settle the original.
    // While the page is shown, the request leaves in a task of its own: calling fetch takes as long as
    // compressing does, and together they would block the page twice as long (README, "Performance").
    const sendOrStore = (batch: Batch) => {
      if (unloading && !canKeepalive(batch)) return toStore.push(batch);
      const copy = { ...batch };
      if (isShown()) sendLater(copy, 0);
      else send(copy);
    };
    // A plain request in flight is cancelled by the unload; one waiting for its timer would never be sent. (Over a
    // snapshot of the set, which the copies sent join.)
    for (const batch of [...unsettled]) {
      if (leaving && (batch._sendTimer || (unloading && batch._keepalive === false))) {
        clearTimeout(batch._sendTimer);
        unsettled.delete(batch);
        sendOrStore(batch);
      }
    }
    const spans = queue.splice(0, count).map((span) => ({ _scope: span._scope, _json: encodeSpan(span) }));
    for (let i = 0, packet; i < spans.length; ) {
      if (unloading && toStore.length) {
        // The share is spent: store the rest as JSON text, since compressing it now would only delay the unload;
        // in requests of at most 64 spans whatever maxBatchSize says, so that storage fills up to its cap.
        const chunk = spans.slice(i, (i += Math.min(maxBatchSize, 64)));
        toStore.push({ _body: encodeRequest(resourceJson, chunk, takeCounts()), _spans: chunk.length } as Packet);
      } else {
        [packet, i] = packNext(spans, i, KEEPALIVE_SHARE, encodeWire, resourceJson, takeCounts());
        sendOrStore(packet);
      }
    }
    if (toStore.length) drop('tracelet.dropped.storage_full', persist(toStore));
    // One batch per task, so that compressing a long queue never blocks the page for long.
    if (queue.length) schedule(0);
    resolveIfIdle();
  };

  const schedule = (delay: number) => {
    if (stopped || Date.now() + delay >= timerDue) return;
    clearTimeout(timer);
    timerDue = Date.now() + delay;
    // One batch of queued spans; sendQueued schedules the next while more are queued.
    timer = later(() => sendQueued(maxBatchSize), delay);
  };

  // A page restored from the back/forward cache takes back what it stored when it was hidden.
  const sendStored = () => {
    const stored = takePersisted();
    drop('tracelet.dropped.storage_full', stored.dropped);
    for (const { body, spans } of stored.requests) send({ _body: body, _spans: spans, _payload: encodeWire(body), _attempt: 0 });
  };

  // The page being unloaded or hidden: everything not yet delivered leaves now (see sendQueued).
  const onPageEvent = (event: Event) => {
    if (event.type === 'pagehide') {
      unloaded = true;
      sendQueued(queue.length, true, true);
    } else if (event.type === 'pageshow') {
      unloaded = false;
      if ((event as PageTransitionEvent).persisted) sendStored();
    } else if ((hidden = document.visibilityState === 'hidden')) {
      sendQueued(queue.length, true, false);
    }
  };

  // In the capture phase, on the window (see listen).
  const unlisten = outsideSpans(() => listen(['visibilitychange', 'pagehide', 'pageshow'], onPageEvent));
  // After init, not during it: a stored backlog is compressed off the start-up path.
  later(sendStored);
  // The first compression builds fflate's tables and gets its code compiled, tens of ms on a slow machine: made
  // on a small body when the page is first idle, it keeps that out of the first export's task (README,
  // "Performance"). Safari has no requestIdleCallback, and pays at its first export.
  outsideSpans(() => globalThis.requestIdleCallback?.(() => encodeWire(resourceJson)));

  const flush = () =>
    new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      if (queue.length) schedule(0);
      resolveIfIdle();
    });

  return {
    _enqueue(span) {
      if (stopped || queue.length >= config.maxQueueSize) return drop('tracelet.dropped.queue_full', 1);
      queue.push(span);
      if (isShown()) {
        // A pending timer is due within batchDelay already: no need to read the clock for every span.
        if (queue.length >= maxBatchSize) schedule(0);
        else if (timerDue === Infinity) schedule(config.batchDelay);
        return;
      }
      // A span ending while the page is hidden or unloading (final web vitals, say) leaves at once: no timer may
      // run again. The microtask gathers the spans that end in the same event listener into one request. Only
      // the queue leaves: requests waiting for a retry keep waiting, as the collector asked.
      if (!leaving) {
        leaving = true;
        queueMicrotask(() => {
          leaving = false;
          sendQueued(queue.length, false, unloaded);
        });
      }
    },
    _flush: flush,
    _shutdown: () =>
      flush().then(() => {
        stopped = true;
        unlisten();
      }),
  };
};
