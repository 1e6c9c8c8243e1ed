import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SERVED = ['/dist/', '/node_modules/', '/e2e/fixtures/'];
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.map': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the built bundles and the fixture pages on a loopback port. In fixture pages `{{NAME}}` is replaced by
 * `vars[NAME]` (the receiver URL, say). Any other path answers with an empty page, for navigation tests.
 *
 * Query parameters shape any answer: `delay=<ms>` holds it back that long (a slow resource or collector),
 * `server-timing=<value>` sends it as the `Server-Timing` header, with `Timing-Allow-Origin: *` so that the page
 * can read it (a server announcing its span: `server-timing=traceparent;desc="00-..."`), and `redirect=<url>`
 * answers 302 to that URL (a download handed on to a storage bucket).
 */
export const startSite = async (vars: Record<string, string> = {}) => {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    const path = normalize(decodeURIComponent(url.pathname));
    const delay = Number(url.searchParams.get('delay'));
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const redirect = url.searchParams.get('redirect');
    if (redirect) return void res.writeHead(302, { location: redirect }).end();
    const serverTiming = url.searchParams.get('server-timing');
    if (serverTiming) res.setHeader('Server-Timing', serverTiming).setHeader('Timing-Allow-Origin', '*');
    if (!SERVED.some((prefix) => path.startsWith(prefix))) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>');
      return;
    }
    try {
      let body: string | Buffer = await readFile(join(ROOT, path));
      if (path.endsWith('.html')) body = body.toString('utf8').replace(/\{\{(\w+)\}\}/g, (_, name) => vars[name] ?? '');
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { origin, close };
};
