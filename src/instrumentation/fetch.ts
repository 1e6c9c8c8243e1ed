import type { Instrumentation } from '../lib/instrumentation';
import { refuseOrigin, startRequest } from '../lib/http';

/**
 * Traces `fetch`: one CLIENT span per request, with `traceparent`/`tracestate` added for the page's own origin
 * and `propagateTo` origins (never over a `traceparent` the app set itself). The wrapper is invisible to the
 * app: it returns what `fetch` returns and rejects with the same errors, and if anything in tracelet fails, the
 * request goes out untraced.
 */
export const instrumentFetch: Instrumentation = (context) => {
  const original = globalThis.fetch;

  function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let request: ReturnType<typeof startRequest>;
    let traced: RequestInit | undefined;
    try {
      // A Request has its own method and headers; a string or URL has neither. Headers passed in `init` replace
      // the Request's own, so start from whichever the browser would use.
      const req = input as Partial<Request>;
      request = startRequest(context, 'tracelet/fetch', init?.method ?? req?.method ?? 'GET', input);
      const headers = request?._headers && new Headers(init?.headers ?? req?.headers);
      if (headers && !headers.has('traceparent')) {
        for (const [name, value] of Object.entries(request!._headers!)) headers.set(name, value);
        traced = { ...init, headers };
      }
    } catch {
      request = undefined;
    }
    const send = (options?: RequestInit) => original.call(this, input, options) as Promise<Response>;
    if (!request) return send(init);
    const { _finish: finish, _url: url } = request;
    const answered = (response: Response) => {
      finish(response.status);
      return response;
    };
    return send(traced ?? init).then(answered, (error: unknown) => {
      // A refused CORS preflight looks like any network error: a TypeError. Failing so while online, with trace
      // headers, is taken as a refusal: the next requests there go without them.
      if (traced && (error as Error)?.name === 'TypeError') refuseOrigin(url);
      finish(0, error);
      throw error;
    });
  }

  globalThis.fetch = fetch as typeof globalThis.fetch;
  return () => {
    if (globalThis.fetch === fetch) globalThis.fetch = original;
  };
};
