import type { Instrumentation } from '../lib/instrumentation';
import { refuseOrigin, refuseUrl, startRequest } from '../lib/http';
import { patch } from '../lib/patch';

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
    let args: [RequestInfo | URL, RequestInit?] = [input, init];
    // The request sent with our headers, if any.
    let traced: Request | undefined;
    try {
      request = startRequest(context, 'tracelet/fetch', init?.method ?? (input as Partial<Request>)?.method ?? 'GET', input);
      if (request?._headers) {
        // fetch(input, init) sends `new Request(input, init)`: the headers go on that Request, and it is sent
        // alone, so neither the app's Request nor its init is changed, and every other property (referrer,
        // signal, body, inherited init properties) is what the browser would have used.
        const built = new Request(input, init);
        args = [built];
        if (!built.headers.has('traceparent')) {
          for (const [name, value] of request._headers) built.headers.set(name, value);
          traced = built;
        }
      }
    } catch {
      // Arguments the Request constructor refuses: the browser's fetch rejects them below, as it would untraced.
    }
    const sent = original.apply(this, args) as Promise<Response>;
    if (!request) return sent;
    const finish = (response: Response) => {
      // An opaque (no-cors) response hides its status: 0 there is no failure.
      request._finish(response.type === 'opaque' ? undefined : response.status);
      return response;
    };
    const fail = (error: unknown): never => {
      request._finish(0, error);
      throw error;
    };
    return sent.then(finish, (error: unknown) => {
      // A refused CORS preflight looks like any network error: a TypeError. Failing so while online, with trace
      // headers, is taken as a refusal: the next requests there go without them. (The app may abort with a
      // TypeError of its own as the reason.)
      if (traced && !traced.signal.aborted && (error as Error)?.name === 'TypeError') {
        if (request._url.origin !== location.origin) refuseOrigin(request._url);
        else if (navigator.onLine && /^(GET|HEAD)$/.test(traced.method)) {
          // The page's own origin may have redirected to one that refuses them. A GET or HEAD may be sent twice:
          // the Request built at the call goes again without our headers, and if that works, the URL gets none
          // from now on. (Anything else that fails, a server down, fails twice.)
          for (const [name] of request._headers!) traced.headers.delete(name);
          return (original.call(this, traced) as Promise<Response>).then((response) => (refuseUrl(request._url), finish(response)), fail);
        }
      }
      return fail(error);
    });
  }

  return patch(globalThis, { fetch: fetch as typeof globalThis.fetch });
};
