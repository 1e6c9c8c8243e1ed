import { newTraceId } from './ids';

/**
 * `session.id`: one id for a visit, kept across page loads of the same origin and across tabs, and replaced
 * after `timeout` ms without a span. It lives in localStorage; where storage is
 * unavailable (privacy modes, sandboxed frames) the id lasts as long as the page.
 *
 * Storage is touched at most every few seconds, not on every span, because localStorage is synchronous.
 */

const STORAGE_KEY = 'tracelet.session';
const WRITE_EVERY_MS = 5000;

/** A visit, as stored: `id.started.lastSeen` (times in epoch ms). */
type Session = [id: string, started: number, lastSeen: number];

/** Returns a function giving the current session id, renewing the session when it has expired. */
export const createSession = (timeout: number): (() => string) => {
  let session: Session | undefined;
  let written = 0;
  // No session: `time - undefined` is NaN, and NaN is never less than the timeout.
  const isLive = (s: Session | undefined, time: number): s is Session => time - (s?.[2] as number) < timeout;

  return () => {
    const time = Date.now();
    if (!isLive(session, time)) {
      // Another tab may have kept the visit alive, or started a new one.
      let stored: Session | undefined;
      try {
        const [id, started, lastSeen] = (localStorage.getItem(STORAGE_KEY) ?? '').split('.');
        if (id) stored = [id, +started, +lastSeen];
      } catch {
        // Storage unavailable (forbidden): no visit is stored.
      }
      session = isLive(stored, time) ? stored : [newTraceId(), time, time];
      written = 0;
    }
    session[2] = time;
    if (time - written >= WRITE_EVERY_MS) {
      written = time;
      try {
        localStorage.setItem(STORAGE_KEY, session.join('.'));
      } catch {
        // Storage full or forbidden: the session lasts for this page only.
      }
    }
    return session[0];
  };
};
