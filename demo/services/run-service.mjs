// Starts a demo service's HTTP server on PORT/HOST and tells the process that started it (demo/services.mjs, over
// the IPC channel of child_process.fork) where it listens, or why it could not.
import http from 'node:http';
import { trace } from '@opentelemetry/api';
import { sendJson } from './json-http.mjs';

/** Sends `message` to the parent demo process, when there is one. */
export const report = (message) => process.send?.(message);

/** Names the http instrumentation's SERVER span after the route, as web frameworks' instrumentations do. */
export function nameServerSpan(method, route) {
  const span = trace.getActiveSpan();
  span?.setAttribute('http.route', route);
  span?.updateName(`${method} ${route}`);
}

/** `handle(request, response)` may be async; what it throws becomes a 500. */
export function runService(name, handle) {
  const server = http.createServer((request, response) => {
    Promise.resolve(handle(request, response)).catch((error) => {
      if (!response.headersSent) sendJson(response, 500, { message: error.message });
    });
  });
  server.on('error', (error) => {
    const exit = () => process.exit(1);
    // Exit only once the message is out: process.send is asynchronous.
    if (process.send) process.send({ type: 'error', message: error.message }, exit);
    else {
      console.error(`${name}: ${error.message}`);
      exit();
    }
  });
  server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
    const { port } = server.address();
    if (!process.send) console.log(`${name} listening on http://127.0.0.1:${port}`);
    report({ type: 'listening', port });
  });
}
