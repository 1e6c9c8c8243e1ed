/**
 * Requests that could not leave before the page unloaded, kept in localStorage (the only synchronous storage, so
 * the only one usable inside `pagehide`) and sent by the next page of the same origin that runs tracelet.
 */

const STORAGE_KEY = 'tracelet.unsent';

/** Most characters kept in storage; localStorage holds about 5 million per origin, shared with the app. */
export const MAX_STORED_CHARS = 1_000_000;

/** A request body kept for a later page, with the number of spans it carries. */
export interface StoredRequest {
  body: string;
  spans: number;
}

interface Stored {
  requests: StoredRequest[];
  /** Spans dropped because storage was full, reported by the page that sends the rest. */
  dropped: number;
}

const load = (): Stored => {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null') as Stored | null;
    if (stored && Array.isArray(stored.requests)) return stored;
  } catch {
    // Unreadable or forbidden storage holds nothing we can use.
  }
  return { requests: [], dropped: 0 };
};

/**
 * Adds `requests` to storage, as many as fit in {@link MAX_STORED_CHARS}. Returns how many spans did not fit
 * (also recorded in storage, so the next page reports them).
 */
export const persist = (requests: StoredRequest[]): number => {
  const stored = load();
  let size = stored.requests.reduce((sum, r) => sum + r.body.length, 0);
  let lost = 0;
  for (const request of requests) {
    if (size + request.body.length <= MAX_STORED_CHARS) {
      stored.requests.push(request);
      size += request.body.length;
    } else {
      lost += request.spans;
    }
  }
  stored.dropped += lost;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    return lost;
  } catch {
    return requests.reduce((sum, r) => sum + r.spans, 0);
  }
};

/** Takes every stored request out of storage, for this page to send. */
export const takePersisted = (): Stored => {
  const stored = load();
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to take.
  }
  return stored;
};
