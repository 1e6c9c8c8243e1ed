/**
 * Requests that could not leave before the page unloaded, kept in localStorage (the only synchronous storage, so
 * the only one usable inside `pagehide`) and sent by the next page of the same origin that runs tracelet, to its
 * own collector. One key for the origin, so that what is stored stays within one cap, and leftovers from before
 * a change of collector URL are still delivered.
 */
import type { Packet } from './pack';

const STORAGE_KEY = 'tracelet.unsent';

/** Most characters kept in storage; localStorage holds about 5 million per origin, shared with the app. */
export const MAX_STORED_CHARS = 1_000_000;

/**
 * A request body kept for a later page, with the number of spans it carries. Its field names are the storage
 * format, read by pages that may run another version of tracelet, so they are not mangled.
 */
export interface StoredRequest {
  body: string;
  spans: number;
}

interface Stored {
  requests: StoredRequest[];
  /** Spans dropped because storage was full, reported by the page that sends the rest. */
  dropped: number;
}

/** What storage holds, taken out of it when `take` is set. */
const load = (take?: boolean): Stored => {
  let stored: Stored | null | undefined;
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    if (take) localStorage.removeItem(STORAGE_KEY);
    // A missing key reads null, which JSON.parse takes as the text `null`; an empty string throws, caught below.
    stored = JSON.parse(text as string);
  } catch {
    // Unreadable or forbidden storage holds nothing we can use.
  }
  // Storage is the page's to change: only requests that can be sent are kept, and counts must be numbers.
  return Array.isArray(stored?.requests)
    ? { requests: stored.requests.filter((r) => typeof r?.body === 'string'), dropped: +stored.dropped || 0 }
    : { requests: [], dropped: 0 };
};

/**
 * Adds `packets` to storage, as many as fit in {@link MAX_STORED_CHARS}; the spans that do not fit are counted
 * in storage, and reported by the page that sends the rest. Returns how many spans were lost without being
 * counted there (all of them, when storage refuses to be written), for the caller to count.
 */
export const persist = (packets: Array<Pick<Packet, '_body' | '_spans'>>): number => {
  const stored = load();
  let size = stored.requests.reduce((sum, r) => sum + r.body.length, 0);
  let all = 0;
  for (const { _body: body, _spans: spans } of packets) {
    all += spans;
    if (size + body.length > MAX_STORED_CHARS) stored.dropped += spans;
    else {
      size += body.length;
      stored.requests.push({ body, spans });
    }
  }
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    return 0;
  } catch {
    return all;
  }
};

/** Takes every stored request out of storage, for this page to send. */
export const takePersisted = (): Stored => load(true);
