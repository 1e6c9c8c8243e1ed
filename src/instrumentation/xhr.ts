import type { Instrumentation } from '../lib/instrumentation';
import { refuseOrigin, startRequest } from '../lib/http';
import { patch } from '../lib/patch';
import { safely } from '../lib/safely';

interface Opened {
  _method: string;
  _url: unknown;
  /** The app set a traceparent of its own, which is left alone. */
  _hasTraceParent?: boolean;
}

const END_EVENTS = ['load', 'error', 'abort', 'timeout'];

/**
 * Traces `XMLHttpRequest`: one CLIENT span per `send()`, with trace headers as for fetch. Only `open`,
 * `setRequestHeader` and `send` are wrapped, each calling the browser's own, so the app's listeners, `on*`
 * handlers, readyState sequence and synchronous requests behave as before.
 */
export const instrumentXhr: Instrumentation = (context) => {
  if (typeof XMLHttpRequest !== 'function') return () => {};
  const proto = XMLHttpRequest.prototype;
  const { open, send, setRequestHeader } = proto;
  const opened = new WeakMap<XMLHttpRequest, Opened>();
  // The end of each request in flight, by XHR: some ends fire no event for it.
  const ends = new WeakMap<XMLHttpRequest, (type: string, status?: number) => void>();

  const wrappedOpen = function (this: XMLHttpRequest, method: string, url: string | URL) {
    const end = ends.get(this);
    // Re-opened once done, from its own readystatechange handler (a poller, say): the request succeeded, and
    // its load event, which comes after, will not fire for it any more.
    const status = end && this.readyState === 4 ? this.status : 0;
    // eslint-disable-next-line prefer-rest-params
    const result = open.apply(this, arguments as unknown as Parameters<typeof open>);
    // Only once the browser took it: an open() that throws leaves the XHR as it was. One that succeeds
    // cancels a request in flight without an event.
    end?.(status ? 'load' : 'abort', status);
    opened.set(this, { _method: method, _url: url });
    return result;
  } as typeof open;

  // If tracing fails, the request itself must still go out.
  const trace = safely((xhr: XMLHttpRequest) => {
    const state = opened.get(xhr);
    // A second send() without open() throws in the browser; only the first is traced.
    opened.delete(xhr);
    const request = state && xhr.readyState === 1 && startRequest(context, 'tracelet/xhr', state._method, state._url);
    if (request) {
      if (request._headers && !state._hasTraceParent) {
        for (const [name, value] of request._headers) setRequestHeader.call(xhr, name, value);
      }
      const end = (type: string, status = xhr.status) => {
        ends.delete(xhr);
        for (const type of END_EVENTS) xhr.removeEventListener(type, onEnd);
        if (type === 'error' && request._headers) refuseOrigin(request._url);
        request._finish(status, type === 'load' ? undefined : { name: type, message: `request ${type}` });
      };
      const onEnd = (event: Event) => end(event.type);
      ends.set(xhr, end);
      for (const type of END_EVENTS) xhr.addEventListener(type, onEnd);
      return end;
    }
  });

  const wrappedSend = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const end = trace(this);
    try {
      return send.call(this, body);
    } catch (error) {
      // A synchronous request that fails throws here and fires no event. (A send() refused because one is
      // already in flight throws too, but traced nothing: that request's span is left alone.)
      end?.('error');
      throw error;
    }
  };

  const wrappedSetRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    const state = opened.get(this);
    if (state && String(name).toLowerCase() === 'traceparent') state._hasTraceParent = true;
    return setRequestHeader.call(this, name, value);
  };

  return patch(proto, { open: wrappedOpen, send: wrappedSend, setRequestHeader: wrappedSetRequestHeader });
};
