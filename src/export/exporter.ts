import type { Attributes } from '../types';
import { outsideSpans } from '../core/context';
import type { RecordedSpan } from '../core/span';
import { gzip, utf8 } from './compress';
import { type EncodedSpan, encodeRequest, encodeResource, encodeSpan } from './otlp-json';
import { type Packet, type PackOptions, packNext } from './pack';
import { persist, takePersisted } from './persist';
import { type Answer, isRetryable, post } from './transport';

/** The browsers' budget for the bodies of all keepalive requests (and beacons) a page has in flight at once. */
export const KEEPALIVE_QUOTA = 64 * 1024;

const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 60_000;

/** Export settings; `init()` documents each one and its default. */
export interface ExporterConfig {
  endpoint: string;
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
  maxQueueSize: number;
  maxBatchSize: number;
  batchDelay: number;
  resource: Attributes;
}

/** Why spans were lost; reported as `tracelet.dropped.<reason>` on the `tracelet` scope of the next request. */
type DropReason = 'queue_full' | 'rejected' | 'retries_exhausted' | 'storage_full';

interface Batch extends Packet {
  attempt: number;
  /** Set while a request is on its way: whether it went with keepalive. */
  inFlight?: { keepalive: boolean };
  /** Set while waiting to be retried. */
  retryTimer?: ReturnType<typeof setTimeout>;
}

/** The export pipeline: a bounded queue of ended spans, batched into OTLP/HTTP requests. */
export interface Exporter {
  /** Queues an ended span; past `maxQueueSize` it is dropped and counted. */
  enqueue(span: RecordedSpan): void;
  /** Resolves when every span queued so far has been delivered, or given up on after its retries. */
  flush(): Promise<void>;
  /** Flushes, then stops listening to the page. */
  shutdown(): Promise<void>;
}

/** Starts the exporter: listens for the page being hidden or unloaded, and sends what earlier pages left. */
export const createExporter = (config: ExporterConfig): Exporter => {
  // Captured before any instrumentation wraps fetch, so the exporter's own requests are never traced.
  const fetchFn = fetch.bind(globalThis);
  const gzipped = config.compression !== 'none';
  const headers: Record<string, string> = { ...config.headers, 'Content-Type': 'application/json' };
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  // Firefox before 133 has no keepalive fetch; there `sendBeacon` carries what is left at unload.
  const hasKeepalive = typeof Request === 'function' && 'keepalive' in Request.prototype;

  const queue: RecordedSpan[] = [];
  const unsettled = new Set<Batch>();
  const dropped: Partial<Record<DropReason, number>> = {};
  let keepaliveBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerDue = Infinity;
  let idleWaiters: Array<() => void> = [];
  let stopped = false;

  const drop = (reason: DropReason, spans: number) => {
    if (spans > 0) dropped[reason] = (dropped[reason] ?? 0) + spans;
  };

  const packOptions = (compress: boolean): PackOptions => ({
    resourceJson: encodeResource(config.resource),
    takeCounts: () => {
      let counts: Attributes | undefined;
      for (const reason in dropped) (counts ??= {})[`tracelet.dropped.${reason}`] = dropped[reason as DropReason];
      for (const reason in dropped) delete dropped[reason as DropReason];
      return counts;
    },
    encode: (body) => (compress ? gzip(utf8(body)) : utf8(body)),
  });
  const wireOptions = packOptions(gzipped);

  const resolveIfIdle = () => {
    if (queue.length || unsettled.size) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const settle = (batch: Batch, answer: Answer) => {
    if (batch.inFlight?.keepalive) keepaliveBytes -= batch.payload.length;
    batch.inFlight = undefined;
    if (answer.status >= 200 && answer.status < 300) {
      unsettled.delete(batch);
    } else if (isRetryable(answer.status) && ++batch.attempt < MAX_ATTEMPTS) {
      const backoff = FIRST_RETRY_MS * 2 ** (batch.attempt - 1) * (0.8 + Math.random() * 0.4);
      const delay = Math.min(answer.retryAfter ?? backoff, LONGEST_RETRY_MS);
      batch.retryTimer = outsideSpans(() => setTimeout(() => send(batch), delay));
    } else {
      unsettled.delete(batch);
      drop(isRetryable(answer.status) ? 'retries_exhausted' : 'rejected', batch.spans);
    }
    resolveIfIdle();
  };

  /** Sends a batch with keepalive when it fits what is left of the quota, so a navigation does not cancel it. */
  const send = (batch: Batch) => {
    batch.retryTimer = undefined;
    unsettled.add(batch);
    const keepalive = batch.payload.length <= KEEPALIVE_QUOTA - keepaliveBytes;
    if (keepalive) keepaliveBytes += batch.payload.length;
    batch.inFlight = { keepalive };
    outsideSpans(() => post(fetchFn, config.endpoint, headers, batch.payload, keepalive)).then((answer) =>
      settle(batch, answer),
    );
  };

  const encodeQueued = (count: number): EncodedSpan[] =>
    queue.splice(0, count).map((span) => ({ scope: span._scope, json: encodeSpan(span) }));

  /** Sends one batch of queued spans, and schedules the next while more are queued. */
  const exportBatch = () => {
    timer = undefined;
    timerDue = Infinity;
    const spans = encodeQueued(config.maxBatchSize);
    for (let i = 0; i < spans.length; ) {
      const [packet, next] = packNext(spans, i, KEEPALIVE_QUOTA, wireOptions);
      send({ ...packet, attempt: 0 });
      i = next;
    }
    // One batch per task, so that compressing a long queue never blocks the page for long.
    if (queue.length) schedule(0);
    resolveIfIdle();
  };

  const schedule = (delay: number) => {
    if (stopped || Date.now() + delay >= timerDue) return;
    clearTimeout(timer);
    timerDue = Date.now() + delay;
    timer = outsideSpans(() => setTimeout(exportBatch, delay));
  };

  /**
   * The page is being hidden or unloaded: everything not yet delivered leaves now, as keepalive requests within
   * the quota. What does not fit goes by plain fetch while the page lives on (hidden), or into localStorage for
   * the next page when it is unloading, since a plain request would be cancelled.
   */
  const leaveNow = (unloading: boolean) => {
    clearTimeout(timer);
    timer = undefined;
    timerDue = Infinity;
    const leftovers: Batch[] = [];
    for (const batch of unsettled) {
      // A plain request in flight is cancelled by the unload; one waiting for a retry would never be retried.
      if (batch.retryTimer || (unloading && batch.inFlight && !batch.inFlight.keepalive)) {
        clearTimeout(batch.retryTimer);
        unsettled.delete(batch);
        leftovers.push(batch);
      }
    }
    const spans = encodeQueued(queue.length);
    const beacon = unloading && !hasKeepalive;
    const options = beacon ? packOptions(false) : wireOptions;
    const toStore: Array<Omit<Packet, 'payload'>> = [];
    const sendOrStore = (packet: Packet, attempt: number) => {
      const fits = packet.payload.length <= KEEPALIVE_QUOTA - keepaliveBytes;
      if (beacon && fits && navigator.sendBeacon(config.endpoint, new Blob([packet.payload as Uint8Array<ArrayBuffer>], { type: 'application/json' }))) {
        keepaliveBytes += packet.payload.length;
      } else if (!beacon && (fits || !unloading)) {
        send({ ...packet, attempt });
      } else {
        toStore.push(packet);
      }
    };
    for (const batch of leftovers) sendOrStore(batch, batch.attempt);
    for (let i = 0; i < spans.length; ) {
      const end = Math.min(i + config.maxBatchSize, spans.length);
      if (unloading && toStore.length) {
        // The quota is spent: store the rest as JSON text, since compressing it now would only delay the unload.
        toStore.push({ body: encodeRequest(options.resourceJson, spans.slice(i, end), options.takeCounts()), spans: end - i });
        i = end;
      } else {
        const [packet, next] = packNext(spans, i, KEEPALIVE_QUOTA, options);
        sendOrStore(packet, 0);
        i = next;
      }
    }
    if (toStore.length) drop('storage_full', persist(toStore.map(({ body, spans }) => ({ body, spans }))));
    resolveIfIdle();
  };

  const onVisibilityChange = () => document.visibilityState === 'hidden' && leaveNow(false);
  const onPageHide = () => leaveNow(true);
  // A page restored from the back/forward cache takes back what it stored when it was hidden.
  const onPageShow = (event: PageTransitionEvent) => event.persisted && sendStored();

  const sendStored = () => {
    const stored = takePersisted();
    drop('storage_full', stored.dropped);
    for (const { body, spans } of stored.requests) send({ body, spans, payload: wireOptions.encode(body), attempt: 0 });
  };

  outsideSpans(() => {
    addEventListener('visibilitychange', onVisibilityChange, true);
    addEventListener('pagehide', onPageHide, true);
    addEventListener('pageshow', onPageShow, true);
    // After init, not during it: a stored backlog is compressed off the start-up path.
    setTimeout(sendStored, 0);
  });

  const flush = () =>
    new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      if (queue.length) schedule(0);
      resolveIfIdle();
    });

  return {
    enqueue(span) {
      if (stopped || queue.length >= config.maxQueueSize) return drop('queue_full', 1);
      queue.push(span);
      schedule(queue.length >= config.maxBatchSize ? 0 : config.batchDelay);
    },
    flush,
    shutdown: () =>
      flush().then(() => {
        stopped = true;
        removeEventListener('visibilitychange', onVisibilityChange, true);
        removeEventListener('pagehide', onPageHide, true);
        removeEventListener('pageshow', onPageShow, true);
      }),
  };
};
